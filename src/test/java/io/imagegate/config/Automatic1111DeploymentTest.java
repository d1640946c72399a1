package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.provider.ProviderRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's {@code automatic1111} deployment as the config file reads it, and its settings' defaults. */
class Automatic1111DeploymentTest {
  @TempDir Path dir;

  @Test
  void load_readmeExample_plainCommaListAndAuthFromTheEnvironment() {
    GatewayConfig config = ConfigFiles.load(dir, """
        deployments:
          gpu1:
            provider: automatic1111
            base_url: http://127.0.0.1:7860/sdapi/v1
            model: sdxl_base_1.0
            api_auth: ${A1111_API_AUTH}
            passthrough: negative_prompt, seed, cfg_scale, sampler_name, override_settings
            max_side: 1536
            steps_high: 50
            max_concurrent: 1
        routes:
          sdxl: {deployments: [gpu1], rules: gpt-image-2}
        prices:
          sdxl_base_1.0: {text_in: 0, image_in: 0, image_out: 0, per_image: 0.002}
        """, Map.of("A1111_API_AUTH", "artist:pw-from-env"));
    DeploymentConfig d = config.deployments().get("gpu1");
    assertThat(d.baseUrl().toString()).as("the API's own path stripped").isEqualTo("http://127.0.0.1:7860");
    assertThat(d.option("passthrough")).isEqualTo("negative_prompt, seed, cfg_scale, sampler_name, override_settings");
    assertThat(d.option("api_auth")).isEqualTo("artist:pw-from-env");
    assertThat(d.option("max_side")).isEqualTo("1536");
    assertThat(d.option("steps_high")).isEqualTo("50");
    assertThat(d.option("steps_low")).isEqualTo("20");
    assertThat(d.option("default_size")).isEqualTo("1024x1024");
    assertThat(d.option("max_batch")).isEqualTo("4");
    assertThat(d.supports().streaming()).isTrue();
    assertThat(d.supports().transparent()).isFalse();
    assertThat(ProviderRegistry.CATALOG.names()).contains("automatic1111");
  }
}
