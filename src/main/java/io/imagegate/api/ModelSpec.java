package io.imagegate.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request rules of one public model id (spec §2–§4) and its default prices (§7, USD per 1M tokens).
 *
 * @param id the public model id, as clients send it
 * @param family the rules and token accounting it shares with its kin
 * @param maxPromptChars longest prompt accepted
 * @param maxN most images per request
 * @param sizes the sizes accepted
 * @param qualities the quality words accepted, {@code auto} included where allowed
 * @param perImagePrice USD per image answered, beside the token prices (0 for models billed by tokens alone)
 */
public record ModelSpec(
    String id, ModelFamily family, int maxPromptChars, int maxN, SizeRule sizes, Set<String> qualities,
    boolean gptImage, boolean supportsInputFidelity, double textInPrice, double imageInPrice, double imageOutPrice,
    double perImagePrice) {

  static final SizeRule GPT_IMAGE_2_SIZES = new SizeRule.Flexible(16, 3840, 3.0, 655_360, 8_294_400);
  static final SizeRule GPT_IMAGE_1_SIZES = new SizeRule.Fixed(
      List.of(new ImageSize(1024, 1024), new ImageSize(1536, 1024), new ImageSize(1024, 1536)), true);
  static final SizeRule DALL_E_3_SIZES = new SizeRule.Fixed(
      List.of(new ImageSize(1024, 1024), new ImageSize(1792, 1024), new ImageSize(1024, 1792)), false);
  static final SizeRule DALL_E_2_SIZES = new SizeRule.Fixed(
      List.of(new ImageSize(256, 256), new ImageSize(512, 512), new ImageSize(1024, 1024)), false);
  static final Set<String> GPT_QUALITIES = Set.of("low", "medium", "high", "auto");

  /** Gemini 2.5 Flash Image: ten ratios at 1K only (each image 1290 output tokens). */
  static final SizeRule GEMINI_FLASH_SIZES = new SizeRule.AspectTiers(List.of("1K"), ratios(1, new int[][] {
      {1, 1, 1024, 1024}, {2, 3, 832, 1248}, {3, 2, 1248, 832}, {3, 4, 864, 1184}, {4, 3, 1184, 864},
      {4, 5, 896, 1152}, {5, 4, 1152, 896}, {9, 16, 768, 1344}, {16, 9, 1344, 768}, {21, 9, 1536, 672}}));
  /** Gemini 3 Pro Image: ten ratios at 1K, 2K (twice the edges) and 4K (four times). */
  static final SizeRule GEMINI_PRO_SIZES = new SizeRule.AspectTiers(List.of("1K", "2K", "4K"), ratios(3, new int[][] {
      {1, 1, 1024, 1024}, {2, 3, 848, 1264}, {3, 2, 1264, 848}, {3, 4, 896, 1200}, {4, 3, 1200, 896},
      {4, 5, 928, 1152}, {5, 4, 1152, 928}, {9, 16, 768, 1376}, {16, 9, 1376, 768}, {21, 9, 1584, 672}}));

  /** FLUX Kontext: about one megapixel at each ratio from 21:9 to 9:21, sent as {@code aspect_ratio}. */
  static final SizeRule FLUX_KONTEXT_SIZES = new SizeRule.AspectTiers(List.of("1K"), ratios(1, new int[][] {
      {1, 1, 1024, 1024}, {2, 3, 832, 1248}, {3, 2, 1248, 832}, {3, 4, 880, 1184}, {4, 3, 1184, 880},
      {9, 16, 752, 1392}, {16, 9, 1392, 752}, {9, 21, 672, 1568}, {21, 9, 1568, 672}}));

  /** Whether {@code output_format}, {@code output_compression} and {@code background} apply to this model. */
  public boolean takesOutputOptions() {
    return gptImage || family == ModelFamily.GEMINI_IMAGE || family == ModelFamily.SEEDREAM
        || family == ModelFamily.FLUX || family == ModelFamily.QWEN_IMAGE;
  }

  /** qwen-image and qwen-image-plus: five fixed sizes, 1328*1328 the default. */
  static final SizeRule QWEN_IMAGE_SIZES = new SizeRule.Fixed(List.of(new ImageSize(1664, 928),
      new ImageSize(1472, 1140), new ImageSize(1328, 1328), new ImageSize(1140, 1472), new ImageSize(928, 1664)), true);
  /** qwen-image-max: the same with 1472*1104 and 1104*1472 for 4:3 and 3:4. */
  static final SizeRule QWEN_IMAGE_MAX_SIZES = new SizeRule.Fixed(List.of(new ImageSize(1664, 928),
      new ImageSize(1472, 1104), new ImageSize(1328, 1328), new ImageSize(1104, 1472), new ImageSize(928, 1664)), true);
  /** The Qwen edit models: each edge 512–2048 (the edge floor is checked by the dashscope provider). */
  static final SizeRule QWEN_EDIT_SIZES = new SizeRule.Flexible(1, 2048, 4.0, 262_144, 4_194_304);

  /** A Qwen-Image model on DashScope, priced per image. */
  static ModelSpec qwen(String id, SizeRule sizes, double perImage) {
    return new ModelSpec(id, ModelFamily.QWEN_IMAGE, 800, 10, sizes, Set.of("auto"), false, false, 0, 0, 0, perImage);
  }

  /**
   * A Seedream model: any size with at least {@code minPixels} and at most 4096² pixels, ratio up to 16:1,
   * priced per image.
   */
  static ModelSpec seedream(String id, long minPixels, double perImage) {
    return new ModelSpec(id, ModelFamily.SEEDREAM, 4_000, 10,
        new SizeRule.Flexible(1, 16_384, 16.0, minPixels, 16_777_216L), Set.of("auto"), false, false, 0, 0, 0,
        perImage);
  }

  /** A FLUX model on the BFL API, priced per image (FLUX.2 bills by megapixel: its one-megapixel price). */
  static ModelSpec flux(String id, SizeRule sizes, double perImage) {
    return new ModelSpec(id, ModelFamily.FLUX, 10_000, 10, sizes, Set.of("auto"), false, false, 0, 0, 0, perImage);
  }

  static ModelSpec gemini(String id, SizeRule sizes, double textIn, double imageIn, double imageOut) {
    return new ModelSpec(id, ModelFamily.GEMINI_IMAGE, 32_000, 10, sizes, Set.of("auto"), false, false, textIn,
        imageIn, imageOut, 0);
  }

  /** {ratio w, ratio h, 1K width, 1K height} rows; each further tier (2K, 4K) doubles the edges before it. */
  private static Map<String, List<ImageSize>> ratios(int tiers, int[][] rows) {
    Map<String, List<ImageSize>> out = new LinkedHashMap<>();
    for (int[] r : rows) {
      List<ImageSize> sizes = new java.util.ArrayList<>();
      for (int t = 0; t < tiers; t++) sizes.add(new ImageSize(r[2] << t, r[3] << t));
      out.put(r[0] + ":" + r[1], List.copyOf(sizes));
    }
    return out;
  }

  static ModelSpec gptImage2(String id) {
    return new ModelSpec(id, ModelFamily.GPT_IMAGE_2, 32_000, 10, GPT_IMAGE_2_SIZES, GPT_QUALITIES,
        true, false, 5, 8, 30, 0);
  }

  static ModelSpec gptImage1(String id, double textIn, double imageIn, double imageOut) {
    return new ModelSpec(id, ModelFamily.GPT_IMAGE_1, 32_000, 10, GPT_IMAGE_1_SIZES, GPT_QUALITIES,
        true, true, textIn, imageIn, imageOut, 0);
  }
}
