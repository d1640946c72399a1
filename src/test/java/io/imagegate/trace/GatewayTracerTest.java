package io.imagegate.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.Operation;
import io.imagegate.config.TraceSettings;
import io.imagegate.metrics.ErrorType;
import io.imagegate.provider.UpstreamException;
import io.imagegate.usage.LedgerEntry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayTracerTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final GatewayTracer tracer = new GatewayTracer(OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build());

  @AfterEach
  void close() { tracer.close(); }

  @Test
  void withoutAnEndpoint_theTracerIsTheNoOp_andNoExporterIsBuilt() throws InterruptedException {
    GatewayTracer off = GatewayTracer.start(TraceSettings.fromEnvironment(Map.of("OTEL_TRACES_SAMPLER", "always_on",
        "OTEL_BSP_SCHEDULE_DELAY", "10")));
    assertThat(off).isSameAs(GatewayTracer.off());
    assertThat(off.exporting()).isFalse();
    ServerSpan span = off.server("POST", "/v1/images/generations", "req_1", headers("00-" + TRACE + "-b7ad6b7169203331-01"));
    assertThat(span).isSameAs(ServerSpan.NONE);
    try (Scope ignored = span.makeCurrent()) {
      assertThat(ServerSpan.current()).isSameAs(ServerSpan.NONE);
      UpstreamSpan attempt = ServerSpan.current().attempt("gpt-image-2", "openai", "main", "first", Operation.GENERATION,
          "gpt-image-2", URI.create("https://api.openai.com"));
      assertThat(attempt).isSameAs(UpstreamSpan.NONE);
      try (Scope inner = attempt.makeCurrent()) {
        assertThat(injected()).isEmpty(); // nothing goes upstream either
      }
      attempt.answered();
    }
    span.end(200, ErrorType.NONE);
    SpanProcessorThreads.assertNoneRuns();
  }

  @Test
  void anEndpoint_buildsTheSdk_andInvalidSettingsFailNamingTheirVariables() {
    GatewayTracer on = GatewayTracer.start(TraceSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
        "http://127.0.0.1:9")));
    assertThat(on.exporting()).isTrue();
    on.close();
    assertThatThrownBy(() -> GatewayTracer.start(TraceSettings.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
        "http://127.0.0.1:9", "OTEL_TRACES_SAMPLER", "sometimes"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OTEL_");
  }

  @Test
  void aServerSpan_continuesTheCallersTrace_andItsAttemptsAreItsChildren_sendingTheirTraceparent() {
    ServerSpan server = tracer.server("POST", "/v1/images/generations", "req_7", headers("00-" + TRACE
        + "-b7ad6b7169203331-01"));
    server.operation(Operation.GENERATION);
    String sent;
    try (Scope ignored = server.makeCurrent()) {
      UpstreamSpan attempt = ServerSpan.current().attempt("gpt-image-2", "azure", "eu", "first", Operation.GENERATION,
          "gpt-image-2-eu", URI.create("https://eu.openai.azure.com"));
      try (Scope inner = attempt.makeCurrent()) {
        sent = injected().get("traceparent");
      }
      attempt.answered();
    }
    server.end(200, ErrorType.NONE);

    SpanData s = span(SpanKind.SERVER);
    SpanData c = span(SpanKind.CLIENT);
    assertThat(s.getTraceId()).isEqualTo(TRACE);
    assertThat(s.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(s.getName()).isEqualTo("POST /v1/images/generations");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo("gpt-image-2-eu");
    assertThat(s.getAttributes().get(AttributeKey.longKey("imagegate.attempts"))).isEqualTo(1);
    assertThat(c.getParentSpanId()).isEqualTo(s.getSpanId());
    assertThat(c.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("azure.ai.openai");
    assertThat(c.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("eu.openai.azure.com");
    assertThat(c.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(443);
    assertThat(sent).isEqualTo("00-" + TRACE + "-" + c.getSpanId() + "-01");
  }

  @Test
  void theLedgerRow_fillsInTheServerSpan_andAFailureIsAnError() {
    ServerSpan server = tracer.server("POST", "/v1/images/edits", "req_8", name -> null);
    server.recorded(new LedgerEntry(Instant.now(), "req_8", "key_42", "gpt-image-2", null, null, "edits", "1024x1024",
        "low", 2, 0, 0, 0, 0, 0, 429, "rate_limit_exceeded", 3, "user-1", "a secret prompt"));
    server.end(429, ErrorType.POLICY_RATE_LIMITED);
    SpanData s = span(SpanKind.SERVER);
    assertThat(s.getTraceId()).isNotEqualTo(TRACE);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("image_edit");
    assertThat(s.getAttributes().get(AttributeKey.longKey("gen_ai.request.choice.count"))).isEqualTo(2);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("imagegate.key.id"))).isEqualTo("key_42");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("policy_rate_limited");
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.getAttributes().asMap().values().toString()).doesNotContain("secret prompt").doesNotContain("user-1");
  }

  @Test
  void anUnsampledCall_recordsNothing_yetStillPropagatesItsTrace() {
    ServerSpan server = tracer.server("POST", "/v1/images/generations", "req_9", headers("00-" + TRACE
        + "-b7ad6b7169203331-00"));
    String sent;
    try (Scope ignored = server.makeCurrent()) {
      UpstreamSpan attempt = ServerSpan.current().attempt("gpt-image-2", "openai", "main", "first",
          Operation.GENERATION, "gpt-image-2", URI.create("http://127.0.0.1:8081"));
      try (Scope inner = attempt.makeCurrent()) {
        sent = injected().get("traceparent");
      }
      attempt.failed(UpstreamException.timeout("slow"));
    }
    server.end(504, ErrorType.PROVIDER_TIMEOUT);
    assertThat(exported.getFinishedSpanItems()).isEmpty();
    assertThat(sent).startsWith("00-" + TRACE + "-").endsWith("-00");
  }

  @Test
  void anAttemptsFailure_isAlwaysTheUpstreamsSide() {
    assertThat(UpstreamSpan.errorType(new UpstreamException(UpstreamException.Kind.RETRYABLE, 429, null,
        "rate_limit_exceeded", null, "slow down", null, null))).isEqualTo(ErrorType.PROVIDER_RATE_LIMITED);
    assertThat(UpstreamSpan.errorType(new UpstreamException(UpstreamException.Kind.REFUSED, 400, null,
        "moderation_blocked", null, "no", null, null))).isEqualTo(ErrorType.PROVIDER_CONTENT_POLICY);
    assertThat(UpstreamSpan.errorType(new UpstreamException(UpstreamException.Kind.REFUSED, 400, null,
        "invalid_value", null, "no", null, null))).isEqualTo(ErrorType.PROVIDER_REFUSED);
    assertThat(UpstreamSpan.errorType(new UpstreamException(UpstreamException.Kind.CREDENTIALS, 401, null, null, null,
        "bad key", null, null))).isEqualTo(ErrorType.PROVIDER_ERROR);
    assertThat(UpstreamSpan.errorType(UpstreamException.timeout("late"))).isEqualTo(ErrorType.PROVIDER_TIMEOUT);
    assertThat(UpstreamSpan.errorType(UpstreamException.cancelled())).isEqualTo(ErrorType.CALLER_CANCELLED);
    assertThat(UpstreamSpan.errorType(UpstreamException.retryable("reset"))).isEqualTo(ErrorType.PROVIDER_ERROR);
  }

  private SpanData span(SpanKind kind) {
    List<SpanData> of = exported.getFinishedSpanItems().stream().filter(s -> s.getKind() == kind).toList();
    assertThat(of).hasSize(1);
    return of.get(0);
  }

  private static java.util.function.UnaryOperator<String> headers(String traceparent) {
    return name -> name.equals("traceparent") ? traceparent : null;
  }

  private static Map<String, String> injected() {
    Map<String, String> headers = new HashMap<>();
    TraceHeaders.inject(headers::put);
    return headers;
  }
}
