package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  @Test
  void defaultsFor_eachProvider() {
    assertThat(Capabilities.defaultsFor(ProviderKind.OPENAI)).isEqualTo(new Capabilities(List.of(), true, true, true, true, 16));
    assertThat(Capabilities.defaultsFor(ProviderKind.AZURE)).isEqualTo(new Capabilities(List.of(), true, false, true, true, 16));
    assertThat(Capabilities.defaultsFor(ProviderKind.OPENAI_COMPATIBLE))
        .isEqualTo(new Capabilities(List.of(), true, true, false, false, 16));
    assertThat(Capabilities.defaultsFor(ProviderKind.LOCAL)).isEqualTo(new Capabilities(List.of(), true, true, true, true, 16));
  }

  @Test
  void allowsSize_emptyListMeansAny_elseExactMatch() {
    assertThat(Capabilities.defaultsFor(ProviderKind.OPENAI).allowsSize(3840, 2160)).isTrue();
    Capabilities some = new Capabilities(List.of("1024x1024", "1536x1024"), true, true, true, true, 1);
    assertThat(some.allowsSize(1536, 1024)).isTrue();
    assertThat(some.allowsSize(1024, 1536)).isFalse();
  }

  @Test
  void providerKind_wireNames() {
    assertThat(ProviderKind.OPENAI_COMPATIBLE.wire()).isEqualTo("openai-compatible");
    assertThat(ProviderKind.fromWire("azure")).contains(ProviderKind.AZURE);
    assertThat(ProviderKind.fromWire("Azure")).isEmpty();
  }
}
