package io.imagegate.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /**
   * Aspect ratios × resolution tiers (Gemini image models): a {@code WxH} is read as its gcd-reduced ratio,
   * which must be listed, and a tier chosen from its long edge (up to 1.5 × the tier's nominal edge:
   * 1536 → 1K, 3072 → 2K, else 4K), which the model must draw; one of the sizes the model draws is taken
   * as it is. The size drawn at that ratio and tier is what the answer echoes.
   *
   * @param tiers the tiers the model draws, smallest first ({@code 1K}, {@code 2K}, {@code 4K})
   * @param ratios each ratio ({@code 16:9}) with the size drawn at each tier, in the order of {@code tiers}
   */
  record AspectTiers(List<String> tiers, Map<String, List<ImageSize>> ratios) implements SizeRule {
    private static final List<String> ALL_TIERS = List.of("1K", "2K", "4K");

    /** Where a requested size lands: the upstream's ratio and tier, and the size drawn there. */
    public record Fit(String ratio, String tier, ImageSize produced) {}

    public AspectTiers {
      tiers = List.copyOf(tiers);
      ratios = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ratios));
      for (var e : ratios.entrySet()) {
        if (e.getValue().size() != tiers.size()) throw new IllegalArgumentException("one size per tier for " + e.getKey());
      }
    }

    @Override
    public ImageSize check(ImageSize s) {
      fit(s);
      return s;
    }

    @Override
    public boolean allowsAuto() { return true; }

    /** The ratio and tier of {@code s}; throws {@code invalid_value} on {@code size} naming what is drawn. */
    public Fit fit(ImageSize s) {
      for (var e : ratios.entrySet()) {
        int tier = e.getValue().indexOf(s);
        if (tier >= 0) return new Fit(e.getKey(), tiers.get(tier), s);
      }
      int g = gcd(s.width(), s.height());
      String ratio = s.width() / g + ":" + s.height() / g;
      List<ImageSize> sizes = ratios.get(ratio);
      if (sizes == null) {
        throw bad(s, "its aspect ratio " + ratio + " is not one this model draws (" + String.join(", ", ratios.keySet())
            + "); its sizes are " + listed());
      }
      int longEdge = Math.max(s.width(), s.height());
      String wanted = null;
      for (String tier : ALL_TIERS) {
        if (longEdge <= nominal(tier) * 3 / 2) {
          wanted = tier;
          break;
        }
      }
      int index = wanted == null ? -1 : tiers.indexOf(wanted);
      if (index < 0) {
        throw bad(s, "at " + ratio + " this model draws only " + atRatio(ratio) + ", and a long edge of " + longEdge
            + " pixels would need " + (wanted == null ? "a tier above 4K" : "the " + wanted + " tier"));
      }
      return new Fit(ratio, wanted, sizes.get(index));
    }

    /** Every size drawn, by tier, and auto. */
    public String listed() {
      List<String> out = new ArrayList<>();
      for (int t = 0; t < tiers.size(); t++) {
        for (List<ImageSize> sizes : ratios.values()) out.add(sizes.get(t).toString());
      }
      return String.join(", ", out) + " and auto";
    }

    private String atRatio(String ratio) {
      List<String> out = new ArrayList<>();
      for (int t = 0; t < tiers.size(); t++) out.add(ratios.get(ratio).get(t) + " (" + tiers.get(t) + ")");
      return String.join(", ", out);
    }

    private static int nominal(String tier) { return Integer.parseInt(tier.substring(0, tier.length() - 1)) * 1024; }

    private static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }
  }

  private static ApiException bad(ImageSize s, String rule) {
    return ApiException.invalidValue("size", "Invalid size '" + s + "': " + rule + ".");
  }
}
