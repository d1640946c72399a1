package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {
  private final EnvExpander env = new EnvExpander(Map.of("A", "1", "B", "two", "E", ""));

  private String expand(String s) { return env.expand(s, ConfigException::new); }

  @Test
  void expand_replacesEveryReference() {
    assertThat(expand("${A}-${B}:${C:-x}")).isEqualTo("1-two:x");
    assertThat(expand("no refs")).isEqualTo("no refs");
    assertThat(expand("${A:-unused}")).isEqualTo("1");
    assertThat(expand("${E:-d}")).isEqualTo("d");
    assertThat(expand("${E}")).isEmpty();
    assertThat(expand("${C:-}")).isEmpty();
    assertThat(expand("$$${A}$")).isEqualTo("$1$");
  }

  @Test
  void expand_defaultMayContainColonsAndSlashes() {
    assertThat(expand("${URL:-http://h:1/x}")).isEqualTo("http://h:1/x");
  }

  @Test
  void expand_missingVariable_namesIt() {
    assertThatThrownBy(() -> expand("x ${MISSING} y")).hasMessageContaining("environment variable MISSING is not set");
  }

  @Test
  void expand_malformedReferences_areErrors() {
    assertThatThrownBy(() -> expand("${A")).hasMessageContaining("unclosed ${");
    assertThatThrownBy(() -> expand("${}")).hasMessageContaining("not a valid environment variable reference");
    assertThatThrownBy(() -> expand("${1X}")).hasMessageContaining("not a valid environment variable reference");
  }
}
