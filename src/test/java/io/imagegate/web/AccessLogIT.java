package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The access log over real traffic: one JSON line per request with the allowed fields, the client from
 * {@code X-Forwarded-For} only behind a trusted proxy, and no secret, prompt or image in any log line at all.
 */
class AccessLogIT {
  private static final String PROMPT = "A secret-sounding prompt about Quixotic-Marmalade-55";
  private static final List<ILoggingEvent> EVENTS = new ArrayList<>();
  private static final AppenderBase<ILoggingEvent> CAPTURE = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      synchronized (EVENTS) {
        EVENTS.add(e);
      }
    }
  };
  private static RunningGateway gateway;

  @BeforeAll
  static void start() {
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    CAPTURE.setContext(logs);
    CAPTURE.start();
    logs.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(CAPTURE);
    logs.getLogger("imagegate.access").addAppender(CAPTURE);
    gateway = RunningGateway.start(Map.of("IMAGEGATE_TRUSTED_PROXIES", "127.0.0.2"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    logs.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(CAPTURE);
    logs.getLogger("imagegate.access").detachAppender(CAPTURE);
  }

  @Test
  void behindATrustedProxy_theClientIsTheFirstForwardedAddress() throws Exception {
    try (RunningGateway behind = RunningGateway.start(Map.of("IMAGEGATE_TRUSTED_PROXIES", "10.0.0.9, 127.0.0.1"))) {
      assertThat(forwardedModels(behind, "203.0.113.7, 10.0.0.9")).isEqualTo(200);
      synchronized (EVENTS) {
        assertThat(EVENTS).anySatisfy(e -> {
          assertThat(e.getLoggerName()).isEqualTo("imagegate.access");
          assertThat(Http.json(e.getFormattedMessage()).get("client").asText()).isEqualTo("203.0.113.7");
        });
      }
    }
  }

  private static int forwardedModels(RunningGateway g, String forwardedFor) throws Exception {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(g.url("/v1/models")))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("X-Forwarded-For", forwardedFor).GET()
        .build();
    try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
      return client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  @Test
  void traffic_leavesOneJsonLinePerRequest_andNoSecretPromptOrImageAnywhere() throws Exception {
    String secret = gateway.gateway().keys().create("logged key", List.of(), false).secret();
    byte[] input = TestImages.png(96, 64);
    Http.Answer gen = Http.postJson(gateway.url("/v1/images/generations"), secret,
        "{\"prompt\":\"" + PROMPT + "\",\"quality\":\"low\",\"n\":2}");
    assertThat(gen.status()).isEqualTo(200);
    Multipart.Builder form = new Multipart.Builder().text("prompt", PROMPT).text("quality", "low")
        .file("image[]", "in.png", "image/png", input);
    assertThat(Http.post(gateway.url("/v1/images/edits"), secret, form.contentType(), form.build()).status()).isEqualTo(200);
    assertThat(Http.postJson(gateway.url("/v1/images/generations"), secret, "{\"prompt\":\"x\",\"size\":\"1X1\"}").status())
        .isEqualTo(400);
    assertThat(Http.postJson(gateway.url("/v1/images/generations"), "sk-not-a-real-key-1234567", "{\"prompt\":\"x\"}")
        .status()).isEqualTo(401);
    assertThat(Http.get(gateway.url("/v1/models"), secret).status()).isEqualTo(200);
    // X-Forwarded-For from a peer that is not a trusted proxy names nobody
    assertThat(forwardedModels(gateway, "203.0.113.9")).isEqualTo(200);

    List<JsonNode> lines = new ArrayList<>();
    StringBuilder everything = new StringBuilder();
    synchronized (EVENTS) {
      for (ILoggingEvent e : EVENTS) {
        everything.append(e.getFormattedMessage()).append('\n');
        if (e.getThrowableProxy() != null) everything.append(e.getThrowableProxy().getMessage()).append('\n');
        if (e.getLoggerName().equals("imagegate.access")) lines.add(Http.json(e.getFormattedMessage()));
      }
    }
    String genId = gen.header("x-request-id");
    JsonNode g = lines.stream().filter(l -> l.get("request_id").asText().equals(genId)).findFirst().orElseThrow();
    assertThat(g.get("method").asText()).isEqualTo("POST");
    assertThat(g.get("route").asText()).isEqualTo("/v1/images/generations");
    assertThat(g.get("status").asInt()).isEqualTo(200);
    assertThat(g.get("duration_ms").asLong()).isNotNegative();
    assertThat(g.get("key_name").asText()).isEqualTo("logged key");
    assertThat(g.get("model").asText()).isEqualTo("gpt-image-2");
    assertThat(g.get("n").asInt()).isEqualTo(2);
    assertThat(g.get("images").asInt()).isEqualTo(2);
    assertThat(g.get("quality").asText()).isEqualTo("low");
    assertThat(g.get("provider").asText()).isEqualTo("imagegate-local");
    assertThat(g.get("tokens_out").asLong()).isPositive();
    assertThat(g.get("cost_usd").asDouble()).isPositive();
    assertThat(g.get("error_type").asText()).isEqualTo("none");
    assertThat(g.get("client").asText()).isEqualTo("127.0.0.1");
    assertThat(g.get("stream").asBoolean()).isFalse();
    assertThat(g.get("upstream_ms").asLong()).isNotNegative().isLessThanOrEqualTo(g.get("duration_ms").asLong());
    assertThat(g.get("prompt_chars").asInt()).isEqualTo(PROMPT.length());
    assertThat(g.get("prompt_sha256").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(PROMPT.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 8));
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.get("route").asText()).isEqualTo("/v1/images/edits");
      assertThat(l.get("operation").asText()).isEqualTo("image_edit");
    });
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.get("status").asInt()).isEqualTo(400);
      assertThat(l.get("error_type").asText()).isEqualTo("caller_invalid_request");
    });
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.get("status").asInt()).isEqualTo(401);
      assertThat(l.get("route").asText()).isEqualTo("/v1/images/generations");
      assertThat(l.get("error_type").asText()).isEqualTo("policy_auth_failed");
      assertThat(l.has("key_id")).isFalse();
    });
    assertThat(lines).anySatisfy(l -> assertThat(l.get("route").asText()).isEqualTo("/v1/models"));
    assertThat(lines).noneSatisfy(l -> assertThat(l.get("client").asText()).isEqualTo("203.0.113.9"));
    // every line holds only allowed fields
    List<String> allowed = List.of("ts", "request_id", "method", "route", "status", "duration_ms", "key_id", "key_name",
        "client", "operation", "model", "size", "quality", "n", "provider", "deployment", "images", "tokens_in",
        "tokens_out", "cost_usd", "attempts", "error_type", "stream", "upstream_ms", "prompt_chars", "prompt_sha256");
    for (JsonNode l : lines) l.fieldNames().forEachRemaining(f -> assertThat(allowed).as(l.toString()).contains(f));
    // nothing secret, nothing drawn, anywhere in the logs
    String all = everything.toString();
    String b64 = Base64.getEncoder().encodeToString(input);
    assertThat(all).doesNotContain(secret).doesNotContain(RunningGateway.MASTER_KEY)
        .doesNotContain("sk-not-a-real-key-1234567").doesNotContain("Quixotic").doesNotContain(b64.substring(0, 40))
        .doesNotContain(gen.json().at("/data/0/b64_json").asText().substring(0, 40));
  }
}
