package io.imagegate.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayYaml;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tracing's two ends: off by default (no exporter, no thread, no {@code traceparent} upstream, whatever
 * other {@code OTEL_*} variables say), and on, the spans still queued at stop are sent before the gateway
 * is gone.
 */
class TracesLifecycleIT {

  @Test
  void withoutAnOtlpEndpoint_nothingIsBuiltOrExported_andUpstreamsGetNoTraceparent() throws Exception {
    try (RecordingCollector collector = new RecordingCollector(); FakeUpstream upstream = new FakeUpstream()) {
      upstream.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
      // everything but an endpoint (the collector listens, yet nobody names it)
      Map<String, String> env = Map.of("OTEL_TRACES_SAMPLER", "always_on", "OTEL_BSP_SCHEDULE_DELAY", "10",
          "OTEL_SERVICE_NAME", "imagegate-off");
      try (RunningGateway gateway = RunningGateway.withConfig(GatewayYaml.write("""
          deployments:
            main: {provider: openai, base_url: "%s", api_key: sk-traces-off-0001}
          routes:
            gpt-image-2: {deployments: [main]}
          """.formatted(upstream.baseUrl())), env)) {
        assertThat(gateway.gateway().exportsTraces()).isFalse();
        Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
            "{\"prompt\":\"a kite\"}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(upstream.take().header("traceparent")).isNull();
        SpanProcessorThreads.assertNoneRuns();
      }
      assertThat(collector.spans()).isEmpty();
    }
  }

  @Test
  void stopping_sendsTheSpansStillQueued() throws Exception {
    try (RecordingCollector collector = new RecordingCollector()) {
      // a schedule far longer than the test: only the gateway's close can have sent these
      RunningGateway gateway = RunningGateway.start(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
          "OTEL_BSP_SCHEDULE_DELAY", "600000", "OTEL_SERVICE_NAME", "imagegate-flush"));
      Http.Answer answer;
      try {
        assertThat(gateway.gateway().exportsTraces()).isTrue();
        answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
            "{\"prompt\":\"a kite\",\"quality\":\"low\"}");
        assertThat(answer.status()).isEqualTo(200);
        Thread.sleep(100);
        assertThat(collector.spans()).isEmpty();
      } finally {
        gateway.close();
      }
      RecordingCollector.Received server = collector.serverSpan(answer.header("x-request-id"));
      assertThat(server.resourceString("service.name")).isEqualTo("imagegate-flush");
      assertThat(server.string("gen_ai.provider.name")).isEqualTo("imagegate-local");
      RecordingCollector.Received local = collector.await(server.traceId(), 2).stream()
          .filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_INTERNAL).findFirst().orElseThrow();
      assertThat(local.parentId()).isEqualTo(server.spanId());
      assertThat(local.attribute("server.address")).isNull();
    }
  }
}
