package io.imagegate.config;

import java.util.List;

/**
 * What one upstream deployment can do, so that the gateway does not send it requests it would refuse.
 *
 * @param sizes the {@code WxH} sizes it accepts (lowercase {@code x}); empty means any size the model allows
 * @param transparent it can draw {@code background: transparent}
 * @param webp it can answer {@code output_format: webp}
 * @param streaming it can stream partial images ({@code stream: true})
 * @param inputFidelity it accepts {@code input_fidelity} on edits
 * @param maxEditImages the most input images one edit may carry, at least 1
 */
public record Capabilities(List<String> sizes, boolean transparent, boolean webp, boolean streaming,
    boolean inputFidelity, int maxEditImages) {

  public Capabilities {
    sizes = List.copyOf(sizes);
    if (maxEditImages < 1) throw new IllegalArgumentException("maxEditImages must be at least 1");
  }

  /** Everything: any size the model allows, transparency, WebP, streaming, input fidelity, 16 edit images. */
  public static Capabilities all() { return new Capabilities(List.of(), true, true, true, true, 16); }

  /** True when {@link #sizes} is empty (any size) or lists {@code WxH}. */
  public boolean allowsSize(int width, int height) {
    return sizes.isEmpty() || sizes.contains(width + "x" + height);
  }
}
