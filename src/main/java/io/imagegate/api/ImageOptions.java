package io.imagegate.api;

/**
 * A request's values once validated for its model, with every default applied.
 *
 * @param size the concrete size, or null for {@code auto} (resolved once input images are known)
 * @param compression 0–100, meaningful for jpeg and webp only
 * @param sent which of the optional fields the client sent, validated, for upstreams to pass on
 */
public record ImageOptions(
    ModelSpec model, Operation operation, String prompt, int n, ImageSize size, Quality quality,
    Background background, OutputFormat format, int compression, String moderation, boolean stream,
    int partialImages, String inputFidelity, String responseFormat, String style, String user, SentFields sent) {

  public boolean autoSize() { return size == null; }

  /** The same options with the size fixed. */
  public ImageOptions withSize(ImageSize concrete) {
    return new ImageOptions(model, operation, prompt, n, concrete, quality, background, format, compression,
        moderation, stream, partialImages, inputFidelity, responseFormat, style, user, sent);
  }
}
