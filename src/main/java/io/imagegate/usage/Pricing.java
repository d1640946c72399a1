package io.imagegate.usage;

import io.imagegate.api.ModelCatalog;
import io.imagegate.api.ModelSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices in USD per model id (spec §7): defaults from {@link ModelCatalog}, overridable per model. Text-in,
 * image-in and image-out tokens are billed separately, each at its own rate per 1M tokens, and each image
 * answered at a price of its own (the vendors that bill per image: Seedream); a model has either or both.
 * Immutable.
 */
public final class Pricing {
  /** Rates of one model: USD per 1M tokens of each kind, and USD per image answered. */
  public record Rates(double textIn, double imageIn, double imageOut, double perImage) {
    public Rates {
      if (!(Double.isFinite(textIn) && Double.isFinite(imageIn) && Double.isFinite(imageOut)
          && Double.isFinite(perImage)) || textIn < 0 || imageIn < 0 || imageOut < 0 || perImage < 0) {
        throw new IllegalArgumentException("prices must be finite, non-negative numbers");
      }
    }

    /** Token rates only. */
    public Rates(double textIn, double imageIn, double imageOut) { this(textIn, imageIn, imageOut, 0); }
  }

  private static final Pricing DEFAULTS = new Pricing(Map.of());
  private final Map<String, Rates> overrides;

  private Pricing(Map<String, Rates> overrides) { this.overrides = overrides; }

  /** The §7 prices of every model in {@link ModelCatalog}. */
  public static Pricing defaults() { return DEFAULTS; }

  /** A copy with this model's token rates replaced (or added, for a model the catalog does not know). */
  public Pricing withOverride(String model, double textIn, double imageIn, double imageOut) {
    return withOverride(model, new Rates(textIn, imageIn, imageOut));
  }

  /** A copy with this model's rates replaced (or added, for a model the catalog does not know). */
  public Pricing withOverride(String model, Rates rates) {
    Objects.requireNonNull(model, "model");
    Map<String, Rates> copy = new HashMap<>(overrides);
    copy.put(model, Objects.requireNonNull(rates, "rates"));
    return new Pricing(Map.copyOf(copy));
  }

  /** The rates of a model: its override, else its catalog default; empty for a model neither knows. */
  public Optional<Rates> rates(String model) {
    Rates r = overrides.get(model);
    if (r != null) return Optional.of(r);
    return ModelCatalog.find(model).map(Pricing::fromSpec);
  }

  /** USD for these tokens and images at this model's rates; 0 for a model with no known price. */
  public double cost(String model, Usage usage, int images) {
    Rates r = rates(model).orElse(null);
    if (r == null || usage == null) return 0;
    return (usage.textIn() * r.textIn() + usage.imageIn() * r.imageIn() + usage.imageOut() * r.imageOut()) / 1_000_000.0
        + Math.max(0, images) * r.perImage();
  }

  private static Rates fromSpec(ModelSpec spec) {
    return new Rates(spec.textInPrice(), spec.imageInPrice(), spec.imageOutPrice(), spec.perImagePrice());
  }
}
