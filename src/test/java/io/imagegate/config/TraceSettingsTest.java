package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceSettingsTest {
  private static final String ENDPOINT = "http://collector.internal:4318";

  @Test
  void off_unlessAnOtlpEndpointIsSet() {
    assertThat(TraceSettings.fromEnvironment(Map.of()).exporting()).isFalse();
    assertThat(TraceSettings.fromEnvironment(Map.of("OTEL_TRACES_SAMPLER", "always_on", "OTEL_SERVICE_NAME", "gw"))
        .exporting()).isFalse();
    assertThat(TraceSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "  ")).exporting()).isFalse();
    assertThat(TraceSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)).exporting()).isTrue();
    assertThat(TraceSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ENDPOINT + "/v1/traces"))
        .exporting()).isTrue();
  }

  @Test
  void off_whenTheSdkOrTheTracesExporterIsTurnedOff() {
    assertThat(with("OTEL_SDK_DISABLED", "TRUE").exporting()).isFalse();
    assertThat(with("OTEL_TRACES_EXPORTER", "none").exporting()).isFalse();
    assertThat(with("OTEL_SDK_DISABLED", "false").exporting()).isTrue();
    assertThat(with("OTEL_TRACES_EXPORTER", "otlp").exporting()).isTrue();
  }

  @Test
  void keepsOnlyTheOtelVariables_fromTheWholeEnvironment() {
    Map<String, String> env = new HashMap<>(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, "OPENAI_API_KEY", "sk-x",
        "IMAGEGATE_PORT", "8080"));
    assertThat(Settings.fromEnvironment(env).traces().otel()).containsOnlyKeys("OTEL_EXPORTER_OTLP_ENDPOINT");
  }

  @Test
  void grpc_isRefused_namingTheVariable() {
    assertThatThrownBy(() -> with("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL")
        .hasMessageContaining("http/protobuf");
    assertThat(with("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json").exporting()).isTrue();
  }

  @Test
  void printed_withoutTheExportersHeadersOrCredentials() {
    TraceSettings s = TraceSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
        "https://user:hunter2@collector.internal:4318/otlp", "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer abc123"));
    assertThat(s.toString()).doesNotContain("abc123").contains("OTEL_EXPORTER_OTLP_HEADERS=***");
    assertThat(s.describe()).isEqualTo("OTLP/HTTP to https://collector.internal:4318").doesNotContain("hunter2");
    assertThat(Settings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "api-key=zz9")).toString())
        .doesNotContain("zz9");
    assertThat(TraceSettings.off().describe()).startsWith("off");
  }

  private static TraceSettings with(String name, String value) {
    return TraceSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT, name, value));
  }
}
