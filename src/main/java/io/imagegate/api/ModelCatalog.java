package io.imagegate.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every model id whose rules the gateway knows; which of them are routed is the router's business. */
public final class ModelCatalog {
  private static final Map<String, ModelSpec> KNOWN = new LinkedHashMap<>();

  static {
    add(ModelSpec.gptImage2("gpt-image-2"));
    add(ModelSpec.gptImage2("gpt-image-2-2026-04-21"));
    add(ModelSpec.gptImage1("gpt-image-1.5", 5, 8, 32));
    add(ModelSpec.gptImage1("gpt-image-1", 5, 10, 40));
    add(ModelSpec.gptImage1("gpt-image-1-mini", 2, 2.5, 8));
    add(ModelSpec.gptImage1("chatgpt-image-latest", 5, 8, 32));
    add(new ModelSpec("dall-e-3", ModelFamily.DALL_E_3, 4_000, 1, ModelSpec.DALL_E_3_SIZES,
        Set.of("standard", "hd"), false, false, 0, 0, 0));
    add(new ModelSpec("dall-e-2", ModelFamily.DALL_E_2, 1_000, 10, ModelSpec.DALL_E_2_SIZES,
        Set.of("standard"), false, false, 0, 0, 0));
  }

  private ModelCatalog() {}

  private static void add(ModelSpec spec) { KNOWN.put(spec.id(), spec); }

  public static Optional<ModelSpec> find(String id) { return Optional.ofNullable(KNOWN.get(id)); }
}
