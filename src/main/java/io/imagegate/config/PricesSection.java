package io.imagegate.config;

import io.imagegate.api.ModelCatalog;
import io.imagegate.api.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code prices:}: public model id → {@code text_in}, {@code image_in}, {@code image_out} (USD per 1M
 * tokens, at least 0) and {@code per_image} (USD per image answered). For a model the catalogue prices, an
 * absent key keeps its default; for any other model (a route of its own) the three token prices are
 * required and {@code per_image} defaults to 0.
 */
final class PricesSection {
  static final List<String> KEYS = List.of("text_in", "image_in", "image_out", "per_image");
  private static final List<String> TOKEN_KEYS = KEYS.subList(0, 3);

  private PricesSection() {}

  static Map<String, PriceConfig> read(Section root) {
    Map<String, PriceConfig> out = new LinkedHashMap<>();
    YamlNode.Mapping m = root.mapping("prices");
    if (m == null) return out;
    for (YamlNode.Entry e : m.entries().values()) {
      if (!(e.value() instanceof YamlNode.Mapping rates)) {
        throw root.error(e.value(), "expected text_in, image_in and image_out (USD per 1M tokens), got "
            + e.value().describe());
      }
      Section s = Section.of(root.source(), rates, KEYS);
      ModelSpec known = ModelCatalog.find(e.key()).orElse(null);
      if (known == null) {
        for (String key : TOKEN_KEYS) {
          if (!s.has(key)) throw s.missing(key, " (" + e.key() + " has no default prices, so all three are needed)");
        }
      }
      out.put(e.key(), new PriceConfig(e.key(),
          s.nonNegative("text_in", known == null ? 0 : known.textInPrice()),
          s.nonNegative("image_in", known == null ? 0 : known.imageInPrice()),
          s.nonNegative("image_out", known == null ? 0 : known.imageOutPrice()),
          s.nonNegative("per_image", known == null ? 0 : known.perImagePrice())));
    }
    return out;
  }
}
