package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricesSectionTest {
  @TempDir Path dir;

  @Test
  void knownModel_partialOverride_keepsTheOtherDefaults() {
    GatewayConfig c = ConfigFiles.load(dir, "prices:\n  gpt-image-2:\n    image_out: 20\n", Map.of());
    PriceConfig p = c.prices().get("gpt-image-2");
    assertThat(p.imageOut()).isEqualTo(20.0);
    assertThat(p.textIn()).isEqualTo(5.0); // spec §7
    assertThat(p.imageIn()).isEqualTo(8.0);
  }

  @Test
  void unknownModel_needsAllThree_namingLineAndField() {
    String msg = ConfigFiles.error(dir, "prices:\n  house-model:\n    text_in: 1\n    image_in: 2\n", Map.of())
        .getMessage();
    assertThat(msg).contains("prices.house-model.image_out").contains("all three");
    GatewayConfig c = ConfigFiles.load(dir, "prices:\n  house-model: {text_in: 1, image_in: 2, image_out: 0.5}\n",
        Map.of());
    assertThat(c.prices().get("house-model").imageOut()).isEqualTo(0.5);
    assertThat(c.prices().get("house-model").perImage()).isZero();
  }

  @Test
  void perImage_isReadBesideTheTokenPrices() {
    GatewayConfig c = ConfigFiles.load(dir, "prices:\n  house-model: {text_in: 0, image_in: 0, image_out: 0,"
        + " per_image: 0.035}\n  gpt-image-2: {per_image: 0.01}\n", Map.of());
    assertThat(c.prices().get("house-model").perImage()).isEqualTo(0.035);
    assertThat(c.prices().get("gpt-image-2").perImage()).isEqualTo(0.01);
    assertThat(c.prices().get("gpt-image-2").imageOut()).as("the other defaults stay").isEqualTo(30.0);
  }

  @Test
  void negativeOrTextPrice_isAnError() {
    assertThat(ConfigFiles.error(dir, "prices:\n  gpt-image-2:\n    text_in: -1\n", Map.of()).getMessage())
        .isEqualTo(ConfigFiles.at(dir, 3, "prices.gpt-image-2.text_in") + "expected a number of at least 0, got \"-1\"");
    assertThat(ConfigFiles.error(dir, "prices:\n  gpt-image-2:\n    speed: 1\n", Map.of()).getMessage())
        .contains("speed");
  }

  @Test
  void serverSection_redisAndKeepPrompts_environmentWins() {
    GatewayConfig c = ConfigFiles.load(dir, "server:\n  redis_url: redis://file:6379\n  keep_prompts: true\n",
        Map.of("IMAGEGATE_REDIS_URL", "redis://env:6380"));
    assertThat(c.settings().redisUrl()).isEqualTo("redis://env:6380");
    assertThat(c.settings().keepPrompts()).isTrue();
    assertThat(c.settings().redisPrefix()).isEqualTo("imagegate:");
    assertThat(ConfigFiles.error(dir, "server:\n  redis_url: http://x\n", Map.of()).getMessage())
        .contains("IMAGEGATE_REDIS_URL must be redis://");
  }
}
