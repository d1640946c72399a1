package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ModelFamily;
import io.imagegate.api.Quality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenMeterTest {

  @ParameterizedTest(name = "gpt-image-2 {0}x{1} {2} -> {3}")
  @CsvSource({
      "1024,1024,LOW,196", "1024,1024,MEDIUM,1756", "1024,1024,HIGH,7024", "3840,2160,HIGH,13342"})
  void outputTokens_gptImage2_matchesPublishedCalculator(int w, int h, Quality q, long expected) {
    assertThat(TokenMeter.outputTokens(ModelFamily.GPT_IMAGE_2, w, h, q)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "gpt-image-1 {0}x{1} {2} -> {3}")
  @CsvSource({
      "1024,1024,LOW,272", "1024,1024,MEDIUM,1056", "1024,1024,HIGH,4160",
      "1024,1536,LOW,408", "1024,1536,MEDIUM,1584", "1024,1536,HIGH,6240",
      "1536,1024,LOW,400", "1536,1024,MEDIUM,1568", "1536,1024,HIGH,6208"})
  void outputTokens_gptImage1_matchesTable(int w, int h, Quality q, long expected) {
    assertThat(TokenMeter.outputTokens(ModelFamily.GPT_IMAGE_1, w, h, q)).isEqualTo(expected);
  }

  @Test
  void outputTokens_gptImage2_growWithSizeAndQuality() {
    long small = TokenMeter.outputTokens(ModelFamily.GPT_IMAGE_2, 1024, 1536, Quality.HIGH);
    long big = TokenMeter.outputTokens(ModelFamily.GPT_IMAGE_2, 2880, 2880, Quality.HIGH);
    assertThat(big).isGreaterThan(small);
    assertThat(TokenMeter.outputTokens(ModelFamily.GPT_IMAGE_2, 1024, 1536, Quality.LOW)).isLessThan(small);
  }

  @Test
  void inputImageTokens_gptImage2_countsPatchesUpToTheBudget() {
    assertThat(TokenMeter.inputImageTokens(ModelFamily.GPT_IMAGE_2, 1024, 1024, false)).isEqualTo(1024);
    assertThat(TokenMeter.inputImageTokens(ModelFamily.GPT_IMAGE_2, 512, 512, false)).isEqualTo(256);
    long huge = TokenMeter.inputImageTokens(ModelFamily.GPT_IMAGE_2, 3840, 2160, false);
    assertThat(huge).isLessThanOrEqualTo(1536).isGreaterThan(1400);
  }

  @Test
  void inputImageTokens_gptImage1_tilesAtLowFidelityAndAddsAtHigh() {
    // 1024² is shrunk to 768² → 2×2 tiles of 512 px.
    assertThat(TokenMeter.inputImageTokens(ModelFamily.GPT_IMAGE_1, 1024, 1024, false)).isEqualTo(65 + 129 * 4);
    assertThat(TokenMeter.inputImageTokens(ModelFamily.GPT_IMAGE_1, 1024, 1024, true))
        .isEqualTo(65 + 129 * 4 + 4160);
  }

  @Test
  void textTokens_countsWithO200kBase() {
    assertThat(TokenMeter.textTokens("")).isZero();
    assertThat(TokenMeter.textTokens("hello world")).isEqualTo(2);
    assertThat(TokenMeter.textTokens("A white cat running under the stars, cyberpunk style")).isBetween(9L, 13L);
  }
}
