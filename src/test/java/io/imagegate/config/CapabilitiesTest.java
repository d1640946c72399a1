package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.provider.ProviderRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  @Test
  void defaults_eachProviderDeclaresItsOwn() {
    ProviderCatalog c = ProviderRegistry.CATALOG;
    assertThat(c.get("openai").defaults()).isEqualTo(new Capabilities(List.of(), true, true, true, true, 16));
    assertThat(c.get("azure").defaults()).isEqualTo(new Capabilities(List.of(), true, false, true, true, 16));
    assertThat(c.get("openai-compatible").defaults()).isEqualTo(new Capabilities(List.of(), true, true, false, false, 16));
    assertThat(c.get("local").defaults()).isEqualTo(Capabilities.all());
  }

  @Test
  void allowsSize_emptyListMeansAny_elseExactMatch() {
    assertThat(Capabilities.all().allowsSize(3840, 2160)).isTrue();
    Capabilities some = new Capabilities(List.of("1024x1024", "1536x1024"), true, true, true, true, 1);
    assertThat(some.allowsSize(1536, 1024)).isTrue();
    assertThat(some.allowsSize(1024, 1536)).isFalse();
  }

  @Test
  void catalog_namesInOrderAndFindsExactNames() {
    ProviderCatalog c = ProviderRegistry.CATALOG;
    assertThat(c.names()).containsExactly("openai", "azure", "openai-compatible", "gemini", "ark", "bfl", "dashscope", "automatic1111", "comfyui", "local");
    assertThat(c.find("azure")).isPresent();
    assertThat(c.find("Azure")).isEmpty();
    assertThat(c.owners("deployment")).containsExactly("azure");
    assertThat(c.owners("max_parallel")).containsExactly("gemini", "ark", "bfl", "dashscope");
  }
}
