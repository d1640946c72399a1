package io.imagegate.provider.local;

import io.imagegate.api.Background;
import io.imagegate.api.OutputFormat;
import io.imagegate.api.Quality;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * One resolved request for the local engine.
 *
 * @param prompt what to draw; {@code null} is read as empty
 * @param width output width in pixels, at least 1
 * @param height output height in pixels, at least 1
 * @param quality detail level; changes what is drawn
 * @param background {@code TRANSPARENT} gives a real alpha channel (sky transparent) where the format has one
 * @param format the encoding {@link LocalEngine#render} produces
 * @param compression 0-100, the quality used for jpeg and webp (100 gives lossless webp); ignored for png
 * @param inputs images to edit (image-to-image); empty for text-to-image; {@code null} is read as empty
 * @param mask nullable; applies to {@code inputs.get(0)}: alpha 255 keeps the input pixel, alpha 0 restyles it
 */
public record LocalRenderRequest(String prompt, int width, int height, Quality quality, Background background,
    OutputFormat format, int compression, List<BufferedImage> inputs, BufferedImage mask) {

  public LocalRenderRequest {
    prompt = prompt == null ? "" : prompt;
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(background, "background");
    Objects.requireNonNull(format, "format");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    compression = Math.max(0, Math.min(100, compression));
  }
}
