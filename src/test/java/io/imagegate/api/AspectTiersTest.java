package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Gemini's sizes: a {@code WxH} read as its reduced aspect ratio and a tier from its long edge. */
class AspectTiersTest {
  private static final SizeRule.AspectTiers FLASH = (SizeRule.AspectTiers) ModelSpec.GEMINI_FLASH_SIZES;
  private static final SizeRule.AspectTiers PRO = (SizeRule.AspectTiers) ModelSpec.GEMINI_PRO_SIZES;

  @Test
  void fit_aDrawnSize_isThatRatioAndTier() {
    assertThat(FLASH.fit(new ImageSize(1344, 768))).isEqualTo(new SizeRule.AspectTiers.Fit("16:9", "1K",
        new ImageSize(1344, 768)));
    assertThat(PRO.fit(new ImageSize(2752, 1536))).isEqualTo(new SizeRule.AspectTiers.Fit("16:9", "2K",
        new ImageSize(2752, 1536)));
    assertThat(PRO.fit(new ImageSize(6336, 2688)).tier()).isEqualTo("4K");
  }

  @Test
  void fit_openAiSizes_reduceToTheirRatioAtTheTierOfTheirLongEdge() {
    assertThat(FLASH.fit(new ImageSize(1024, 1024))).isEqualTo(new SizeRule.AspectTiers.Fit("1:1", "1K",
        new ImageSize(1024, 1024)));
    assertThat(FLASH.fit(new ImageSize(1536, 1024))).isEqualTo(new SizeRule.AspectTiers.Fit("3:2", "1K",
        new ImageSize(1248, 832)));
    assertThat(PRO.fit(new ImageSize(1024, 1536))).isEqualTo(new SizeRule.AspectTiers.Fit("2:3", "1K",
        new ImageSize(848, 1264)));
    assertThat(PRO.fit(new ImageSize(1920, 1080))).isEqualTo(new SizeRule.AspectTiers.Fit("16:9", "2K",
        new ImageSize(2752, 1536)));
    assertThat(PRO.fit(new ImageSize(3840, 2160))).isEqualTo(new SizeRule.AspectTiers.Fit("16:9", "4K",
        new ImageSize(5504, 3072)));
  }

  @Test
  void fit_aRatioNotListed_namesTheRatiosAndSizes() {
    assertThatThrownBy(() -> FLASH.fit(new ImageSize(1792, 1024)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.param()).isEqualTo("size");
          assertThat(e.code()).isEqualTo("invalid_value");
        })
        .hasMessageContaining("its aspect ratio 7:4 is not one this model draws (1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4,"
            + " 9:16, 16:9, 21:9)")
        .hasMessageContaining("1344x768").hasMessageContaining("and auto");
  }

  @Test
  void fit_aTierTheModelLacks_isRefusedNamingWhatItDrawsAtThatRatio() {
    assertThatThrownBy(() -> FLASH.fit(new ImageSize(1920, 1080)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("at 16:9 this model draws only 1344x768 (1K)")
        .hasMessageContaining("would need the 2K tier");
    assertThatThrownBy(() -> PRO.fit(new ImageSize(8192, 8192)))
        .isInstanceOf(ApiException.class).hasMessageContaining("a tier above 4K");
  }

  @Test
  void validate_geminiModel_takesOutputFormatAndChecksTheSize() throws Exception {
    ImageOptions o = validate("{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"x\",\"size\":\"1536x1024\","
        + "\"output_format\":\"jpeg\",\"background\":\"opaque\"}");
    assertThat(o.size()).as("the size asked stays what the client sent").isEqualTo(new ImageSize(1536, 1024));
    assertThat(o.format()).isEqualTo(OutputFormat.JPEG);
    assertThatThrownBy(() -> validate("{\"model\":\"gemini-2.5-flash-image\",\"prompt\":\"x\",\"quality\":\"high\"}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("quality"));
    assertThatThrownBy(() -> validate("{\"model\":\"gemini-3-pro-image-preview\",\"prompt\":\"x\",\"size\":\"1000x700\"}"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("size"));
  }

  private static ImageOptions validate(String json) throws Exception {
    ImageRequest r = ImageRequestReader.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json),
        Operation.GENERATION);
    return new RequestValidator().validate(r, ModelCatalog.find(r.modelOrDefault()).orElseThrow());
  }
}
