package io.imagegate.api;

import java.util.List;

/**
 * What sizes a model accepts (spec §4). A rejected size is a 400 {@code invalid_value} on {@code size}
 * whose message names the rule broken, so that a user knows what to change.
 */
public sealed interface SizeRule {

  /** Checks a concrete size; throws {@link ApiException} naming the rule broken. */
  ImageSize check(ImageSize size);

  /** Whether {@code auto} is accepted. */
  boolean allowsAuto();

  /** gpt-image-2: free sizes within edge, ratio and pixel bounds. */
  record Flexible(int multiple, int maxEdge, double maxRatio, long minPixels, long maxPixels) implements SizeRule {
    @Override
    public ImageSize check(ImageSize s) {
      if (s.width() % multiple != 0 || s.height() % multiple != 0) {
        throw bad(s, "both width and height must be multiples of " + multiple
            + " (e.g. " + round(s.width()) + "x" + round(s.height()) + ")");
      }
      if (Math.max(s.width(), s.height()) > maxEdge) {
        throw bad(s, "the longest edge must be at most " + maxEdge + " pixels");
      }
      double ratio = (double) Math.max(s.width(), s.height()) / Math.min(s.width(), s.height());
      if (ratio > maxRatio) {
        throw bad(s, "the ratio of the long edge to the short edge must be at most " + (int) maxRatio + ":1");
      }
      if (s.pixels() < minPixels || s.pixels() > maxPixels) {
        throw bad(s, "width x height must be between " + minPixels + " and " + maxPixels + " pixels (it is "
            + s.pixels() + ")");
      }
      return s;
    }

    @Override
    public boolean allowsAuto() { return true; }

    private int round(int edge) { return Math.max(multiple, Math.round(edge / (float) multiple) * multiple); }
  }

  /** The fixed lists of the older models. */
  record Fixed(List<ImageSize> sizes, boolean allowsAuto) implements SizeRule {
    @Override
    public ImageSize check(ImageSize s) {
      if (!sizes.contains(s)) throw bad(s, "this model supports only " + listed());
      return s;
    }

    String listed() {
      StringBuilder out = new StringBuilder();
      for (ImageSize size : sizes) out.append(out.isEmpty() ? "" : ", ").append(size);
      return allowsAuto ? out + " and auto" : out.toString();
    }
  }

  private static ApiException bad(ImageSize s, String rule) {
    return ApiException.invalidValue("size", "Invalid size '" + s + "': " + rule + ".");
  }
}
