package io.imagegate.provider;

import io.imagegate.api.ImageOptions;
import io.imagegate.image.InputImage;
import java.util.List;

/**
 * What a provider is asked to draw: the request's validated options (with the fields the client sent, for
 * upstreams that pass them on) and the input images already fetched, decoded from base64 and checked (empty
 * for text-to-image).
 *
 * @param options validated values; {@code options.size()} is null for {@code auto}, which each provider
 *     resolves its own way (an upstream decides for itself)
 * @param mask the mask for the first input image, or null
 */
public record ImageJob(ImageOptions options, List<InputImage> inputs, InputImage mask) {}
