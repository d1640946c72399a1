package io.imagegate.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traces over real HTTP, exported over OTLP/HTTP to a receiver on loopback: one SERVER span per request with
 * the call's GenAI attributes, one CLIENT span per upstream attempt (retries and fallbacks siblings under
 * it) carrying its {@code traceparent} upstream, the caller's trace continued, failures with their error
 * type; never a key, a prompt or an image.
 */
class TracesIT {
  private static final String UPSTREAM_KEY = "sk-traces-upstream-secret-4417";
  private static final String PROMPT = "a lighthouse named Quillon-5521 at dusk";
  private static final RecordingCollector COLLECTOR = new RecordingCollector();

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        main: {provider: openai, base_url: "{{main}}", api_key: %s, priority: 0}
        spare: {provider: openai, base_url: "{{spare}}", api_key: %s, priority: 1, model: gpt-image-2-spare}
      routes:
        gpt-image-2: {deployments: [main, spare]}
      retry:
        max_attempts: 2
        base_delay_ms: 10
        max_delay_ms: 20
      circuit_breaker:
        failure_threshold: 1000
        cool_down_seconds: 1
      """.formatted(UPSTREAM_KEY, UPSTREAM_KEY), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR.endpoint(),
      "OTEL_BSP_SCHEDULE_DELAY", "20", "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test"));
  private static final FakeUpstream main = GATEWAY.upstream("main"), spare = GATEWAY.upstream("spare");

  @AfterAll
  static void stopCollector() { COLLECTOR.close(); }

  @Test
  void generation_continuesTheCallersTrace_withItsServerAndClientSpans_andSendsTraceparentUpstream()
      throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String callerSpan = "00f067aa0ba902b7";
    main.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
    Http.Answer answer = post("/v1/images/generations", "{\"prompt\":\"" + PROMPT + "\",\"quality\":\"low\"}",
        "00-" + traceId + "-" + callerSpan + "-01");
    assertThat(answer.status()).isEqualTo(200);

    List<RecordingCollector.Received> trace = COLLECTOR.await(traceId, 2);
    RecordingCollector.Received server = only(trace, Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(server.parentId()).isEqualTo(callerSpan);
    assertThat(server.span().getName()).isEqualTo("POST /v1/images/generations");
    assertThat(server.string("http.request.method")).isEqualTo("POST");
    assertThat(server.string("http.route")).isEqualTo("/v1/images/generations");
    assertThat(server.number("http.response.status_code")).isEqualTo(200);
    assertThat(server.string("gen_ai.operation.name")).isEqualTo("image_generation");
    assertThat(server.string("gen_ai.request.model")).isEqualTo("gpt-image-2");
    assertThat(server.string("gen_ai.response.model")).isEqualTo("gpt-image-2");
    assertThat(server.string("gen_ai.provider.name")).isEqualTo("openai");
    assertThat(server.string("imagegate.deployment")).isEqualTo("main");
    assertThat(server.string("imagegate.key.id")).isEqualTo("master");
    assertThat(server.string("imagegate.request_id")).isEqualTo(answer.header("x-request-id"));
    // the upstream's reported usage (UpstreamReplies.USAGE): 13 text and 44 image tokens in, 4242 out
    assertThat(server.number("gen_ai.usage.input_tokens")).isEqualTo(57);
    assertThat(server.number("gen_ai.usage.output_tokens")).isEqualTo(4242);
    assertThat(server.number("imagegate.usage.text_input_tokens")).isEqualTo(13);
    assertThat(server.number("imagegate.usage.image_input_tokens")).isEqualTo(44);
    assertThat(server.number("imagegate.usage.image_output_tokens")).isEqualTo(4242);
    assertThat(server.number("imagegate.images")).isEqualTo(1);
    assertThat(server.attribute("imagegate.cost_usd").getDoubleValue()).isPositive();
    assertThat(server.attribute("error.type")).isNull();
    assertThat(server.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(server.resourceString("service.name")).isEqualTo("imagegate");
    assertThat(server.resourceString("deployment.environment.name")).isEqualTo("test");

    RecordingCollector.Received client = only(trace, Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(client.parentId()).isEqualTo(server.spanId());
    assertThat(client.span().getName()).isEqualTo("image_generation gpt-image-2");
    assertThat(client.string("gen_ai.operation.name")).isEqualTo("image_generation");
    assertThat(client.string("gen_ai.request.model")).isEqualTo("gpt-image-2");
    assertThat(client.string("gen_ai.provider.name")).isEqualTo("openai");
    assertThat(client.string("server.address")).isEqualTo("127.0.0.1");
    assertThat(client.number("server.port")).isEqualTo(main.server().getPort());
    assertThat(client.string("imagegate.attempt")).isEqualTo("first");
    assertThat(client.string("imagegate.deployment")).isEqualTo("main");
    // the upstream saw the attempt's own span as its parent
    assertThat(main.take().header("traceparent")).isEqualTo("00-" + traceId + "-" + client.spanId() + "-01");
    assertNothingSecret(trace);
    assertThat(COLLECTOR.contentTypes()).allMatch("application/x-protobuf"::equals);
  }

  @Test
  void aRetryThenAFallback_areSiblingClientSpans_eachWithItsOutcome() throws Exception {
    main.enqueue(UpstreamReplies.error(500, "server_error", null, "boom"),
        UpstreamReplies.error(503, "server_error", null, "still boom"));
    spare.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
    Http.Answer answer = post("/v1/images/generations", "{\"prompt\":\"a kite\"}", null);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("x-imagegate-attempts")).isEqualTo("main:500,main:503,spare:200");

    RecordingCollector.Received server = COLLECTOR.serverSpan(answer.header("x-request-id"));
    assertThat(server.span().getParentSpanId().isEmpty()).isTrue(); // no traceparent: a new trace
    List<RecordingCollector.Received> attempts = COLLECTOR.await(server.traceId(), 4).stream()
        .filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .sorted(Comparator.comparingLong(s -> s.span().getStartTimeUnixNano())).toList();
    assertThat(attempts).hasSize(3).allMatch(s -> s.parentId().equals(server.spanId()));
    assertThat(attempts).extracting(s -> s.string("imagegate.attempt")).containsExactly("first", "retry", "fallback");
    assertThat(attempts).extracting(s -> s.string("imagegate.deployment")).containsExactly("main", "main", "spare");
    assertThat(attempts.get(0).number("http.response.status_code")).isEqualTo(500);
    assertThat(attempts.get(1).number("http.response.status_code")).isEqualTo(503);
    for (RecordingCollector.Received failed : attempts.subList(0, 2)) {
      assertThat(failed.string("error.type")).isEqualTo("provider_error");
      assertThat(failed.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    }
    RecordingCollector.Received answered = attempts.get(2);
    assertThat(answered.attribute("error.type")).isNull();
    assertThat(answered.string("gen_ai.request.model")).isEqualTo("gpt-image-2-spare");
    assertThat(answered.number("server.port")).isEqualTo(spare.server().getPort());
    assertThat(server.string("gen_ai.request.model")).isEqualTo("gpt-image-2");
    assertThat(server.string("gen_ai.response.model")).isEqualTo("gpt-image-2-spare");
    assertThat(server.string("imagegate.deployment")).isEqualTo("spare");
    assertThat(server.number("imagegate.attempts")).isEqualTo(3);
  }

  @Test
  void aFailedCall_hasItsErrorType_onTheServerSpanAndEveryAttempt() throws Exception {
    main.enqueue(UpstreamReplies.error(500, "server_error", null, "down"),
        UpstreamReplies.error(500, "server_error", null, "down"));
    spare.enqueue(UpstreamReplies.error(502, "server_error", null, "down"),
        UpstreamReplies.error(502, "server_error", null, "down"));
    Http.Answer answer = post("/v1/images/generations", "{\"prompt\":\"a kite\"}", null);
    assertThat(answer.status()).isEqualTo(502);
    RecordingCollector.Received server = COLLECTOR.serverSpan(answer.header("x-request-id"));
    assertThat(server.number("http.response.status_code")).isEqualTo(502);
    assertThat(server.string("error.type")).isEqualTo("provider_error");
    assertThat(server.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    List<RecordingCollector.Received> trace = COLLECTOR.await(server.traceId(), 5);
    assertThat(trace.stream().filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT))
        .hasSize(4).allMatch(s -> "provider_error".equals(s.string("error.type")));

    // the upstream refusing the request itself: its refusal is the call's error, and no other attempt is made
    main.enqueue(UpstreamReplies.error(400, "image_generation_user_error", "moderation_blocked", "blocked"));
    Http.Answer refused = post("/v1/images/generations", "{\"prompt\":\"a kite\"}", null);
    assertThat(refused.status()).isEqualTo(400);
    RecordingCollector.Received blocked = COLLECTOR.serverSpan(refused.header("x-request-id"));
    assertThat(blocked.string("error.type")).isEqualTo("provider_content_policy");
    RecordingCollector.Received attempt = only(COLLECTOR.await(blocked.traceId(), 2), Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(attempt.string("error.type")).isEqualTo("provider_content_policy");
    assertThat(attempt.number("http.response.status_code")).isEqualTo(400);

    // the caller's own mistake: no attempt at all
    Http.Answer unknown = post("/v1/images/generations", "{\"model\":\"no-such-model\",\"prompt\":\"x\"}", null);
    assertThat(unknown.status()).isEqualTo(404);
    RecordingCollector.Received notFound = COLLECTOR.serverSpan(unknown.header("x-request-id"));
    assertThat(notFound.string("error.type")).isEqualTo("caller_unknown_model");
    assertThat(notFound.string("gen_ai.request.model")).isEqualTo("no-such-model");
    assertThat(notFound.attribute("imagegate.attempts")).isNull();
  }

  @Test
  void anEdit_isAnImageEdit_andAReplayIsAnEvent() throws Exception {
    main.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
    Multipart.Builder form = new Multipart.Builder().text("prompt", PROMPT).text("quality", "low")
        .file("image[]", "in.png", "image/png", TestImages.png(64, 64));
    Http.Answer edit = Http.send(HttpRequest.newBuilder(URI.create(GATEWAY.url("/v1/images/edits")))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", form.contentType())
        .header("Idempotency-Key", "traces-edit-1").POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build());
    assertThat(edit.status()).isEqualTo(200);
    RecordingCollector.Received server = COLLECTOR.serverSpan(edit.header("x-request-id"));
    assertThat(server.string("gen_ai.operation.name")).isEqualTo("image_edit");
    assertThat(server.string("http.route")).isEqualTo("/v1/images/edits");
    RecordingCollector.Received client = only(COLLECTOR.await(server.traceId(), 2), Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(client.string("gen_ai.operation.name")).isEqualTo("image_edit");
    assertThat(client.span().getName()).isEqualTo("image_edit gpt-image-2");
    assertNothingSecret(COLLECTOR.await(server.traceId(), 2));

    Http.Answer again = Http.send(HttpRequest.newBuilder(URI.create(GATEWAY.url("/v1/images/edits")))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", form.contentType())
        .header("Idempotency-Key", "traces-edit-1").POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build());
    assertThat(again.header("x-imagegate-idempotent-replayed")).isEqualTo("true");
    RecordingCollector.Received replay = COLLECTOR.serverSpan(again.header("x-request-id"));
    assertThat(replay.span().getEventsList()).extracting(Span.Event::getName)
        .containsExactly("imagegate.idempotent_replay");
    assertThat(replay.string("gen_ai.operation.name")).isEqualTo("image_edit");
    assertThat(main.callCount()).isEqualTo(1);
  }

  @Test
  void otherRoutes_haveAServerSpanWithTheirTemplate_andProbesNone() throws Exception {
    Http.Answer model = Http.get(GATEWAY.url("/v1/models/gpt-image-2"), RunningGateway.MASTER_KEY);
    assertThat(model.status()).isEqualTo(200);
    RecordingCollector.Received server = COLLECTOR.serverSpan(model.header("x-request-id"));
    assertThat(server.span().getName()).isEqualTo("GET /v1/models/{id}");
    assertThat(server.string("http.route")).isEqualTo("/v1/models/{id}");
    assertThat(server.number("http.response.status_code")).isEqualTo(200);
    assertThat(server.attribute("gen_ai.operation.name")).isNull();

    Http.Answer denied = Http.get(GATEWAY.url("/v1/models"), "sk-not-a-key-at-all-1234");
    assertThat(denied.status()).isEqualTo(401);
    RecordingCollector.Received unauthorized = COLLECTOR.serverSpan(denied.header("x-request-id"));
    assertThat(unauthorized.string("error.type")).isEqualTo("policy_auth_failed");
    assertNothingSecret(List.of(unauthorized));

    Http.Answer health = Http.get(GATEWAY.url("/health"), null);
    assertThat(health.status()).isEqualTo(200);
    Thread.sleep(200); // several export rounds
    assertThat(COLLECTOR.spans()).noneMatch(s -> "/health".equals(s.string("http.route")));
  }

  private static RecordingCollector.Received only(List<RecordingCollector.Received> trace, Span.SpanKind kind) {
    List<RecordingCollector.Received> of = trace.stream().filter(s -> s.span().getKind() == kind).toList();
    assertThat(of).hasSize(1);
    return of.get(0);
  }

  /** No attribute, event or name of these spans holds a key, the prompt or an upstream's credentials. */
  private static void assertNothingSecret(List<RecordingCollector.Received> spans) {
    for (RecordingCollector.Received s : spans) {
      String text = s.span().toString() + s.resource();
      assertThat(text).doesNotContain(UPSTREAM_KEY).doesNotContain(RunningGateway.MASTER_KEY)
          .doesNotContain("sk-not-a-key").doesNotContain(PROMPT).doesNotContain("Quillon");
    }
  }

  private static Http.Answer post(String path, String json, String traceparent) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(GATEWAY.url(path)))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (traceparent != null) request.header("traceparent", traceparent);
    return Http.send(request.build());
  }
}
