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
        Set.of("standard", "hd"), false, false, 0, 0, 0, 0));
    add(new ModelSpec("dall-e-2", ModelFamily.DALL_E_2, 1_000, 10, ModelSpec.DALL_E_2_SIZES,
        Set.of("standard"), false, false, 0, 0, 0, 0));
    // Gemini: USD per 1M tokens, text and image in alike; 1290 image tokens (flash), 1120–2000 (pro) per image
    add(ModelSpec.gemini("gemini-2.5-flash-image", ModelSpec.GEMINI_FLASH_SIZES, 0.30, 0.30, 30));
    add(ModelSpec.gemini("gemini-3-pro-image-preview", ModelSpec.GEMINI_PRO_SIZES, 2, 2, 120));
    add(ModelSpec.gemini("gemini-3-pro-image", ModelSpec.GEMINI_PRO_SIZES, 2, 2, 120));
    // Seedream on Volcengine (doubao-…) and BytePlus ModelArk: USD per image; 4.5 draws 2560x1440 pixels or more
    for (String prefix : new String[] {"doubao-", ""}) {
      add(ModelSpec.seedream(prefix + "seedream-4-5-251128", 3_686_400L, 0.04));
      add(ModelSpec.seedream(prefix + "seedream-4-0-250828", 921_600L, 0.03));
    }
    // FLUX on api.bfl.ai: USD per image; FLUX 1.1 [pro] draws 256-1440 px edges, FLUX.2 [pro] up to 4 MP
    add(ModelSpec.flux("flux-pro-1.1", new SizeRule.Flexible(32, 1440, 5.625, 65_536, 2_073_600), 0.04));
    add(ModelSpec.flux("flux-2-pro", new SizeRule.Flexible(32, 2048, 4.0, 65_536, 4_194_304), 0.03));
    add(ModelSpec.flux("flux-kontext-pro", ModelSpec.FLUX_KONTEXT_SIZES, 0.04));
    add(ModelSpec.flux("flux-kontext-max", ModelSpec.FLUX_KONTEXT_SIZES, 0.08));
    // Qwen-Image on Alibaba Model Studio (international): USD per image, a snapshot of the price list
    add(ModelSpec.qwen("qwen-image", ModelSpec.QWEN_IMAGE_SIZES, 0.035));
    add(ModelSpec.qwen("qwen-image-plus", ModelSpec.QWEN_IMAGE_SIZES, 0.03));
    add(ModelSpec.qwen("qwen-image-max", ModelSpec.QWEN_IMAGE_MAX_SIZES, 0.075));
    add(ModelSpec.qwen("qwen-image-edit", ModelSpec.QWEN_EDIT_SIZES, 0.045));
    add(ModelSpec.qwen("qwen-image-edit-plus", ModelSpec.QWEN_EDIT_SIZES, 0.03));
  }

  private ModelCatalog() {}

  private static void add(ModelSpec spec) { KNOWN.put(spec.id(), spec); }

  public static Optional<ModelSpec> find(String id) { return Optional.ofNullable(KNOWN.get(id)); }

  /** Every known id, in the order declared (for help texts and "did you mean"). */
  public static java.util.List<String> ids() { return java.util.List.copyOf(KNOWN.keySet()); }
}
