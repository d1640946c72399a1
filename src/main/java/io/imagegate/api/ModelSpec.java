package io.imagegate.api;

import java.util.List;
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
 */
public record ModelSpec(
    String id, ModelFamily family, int maxPromptChars, int maxN, SizeRule sizes, Set<String> qualities,
    boolean gptImage, boolean supportsInputFidelity, double textInPrice, double imageInPrice, double imageOutPrice) {

  static final SizeRule GPT_IMAGE_2_SIZES = new SizeRule.Flexible(16, 3840, 3.0, 655_360, 8_294_400);
  static final SizeRule GPT_IMAGE_1_SIZES = new SizeRule.Fixed(
      List.of(new ImageSize(1024, 1024), new ImageSize(1536, 1024), new ImageSize(1024, 1536)), true);
  static final SizeRule DALL_E_3_SIZES = new SizeRule.Fixed(
      List.of(new ImageSize(1024, 1024), new ImageSize(1792, 1024), new ImageSize(1024, 1792)), false);
  static final SizeRule DALL_E_2_SIZES = new SizeRule.Fixed(
      List.of(new ImageSize(256, 256), new ImageSize(512, 512), new ImageSize(1024, 1024)), false);
  static final Set<String> GPT_QUALITIES = Set.of("low", "medium", "high", "auto");

  static ModelSpec gptImage2(String id) {
    return new ModelSpec(id, ModelFamily.GPT_IMAGE_2, 32_000, 10, GPT_IMAGE_2_SIZES, GPT_QUALITIES,
        true, false, 5, 8, 30);
  }

  static ModelSpec gptImage1(String id, double textIn, double imageIn, double imageOut) {
    return new ModelSpec(id, ModelFamily.GPT_IMAGE_1, 32_000, 10, GPT_IMAGE_1_SIZES, GPT_QUALITIES,
        true, true, textIn, imageIn, imageOut);
  }
}
