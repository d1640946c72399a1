package io.imagegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} over real HTTP: who may read it (an admin key, the metrics token; on the metrics port
 * anyone), and what an images call leaves in it: one count with its route's labels and error type, its
 * duration in buckets up to 600 s, images, tokens and cost; never a prompt or a key's secret.
 */
class MetricsIT {
  private static final String TOKEN = "scrape-token-0123456789abcdef";
  private static final String PROMPT = "A lighthouse called Zephyrine-4471 at dawn";
  private static RunningGateway gateway;

  @BeforeAll
  static void start() {
    gateway = RunningGateway.start(Map.of("IMAGEGATE_METRICS_TOKEN", TOKEN, "IMAGEGATE_METRICS_PORT", "0"));
  }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void anImagesCall_isCountedWithItsLabels_durationImagesTokensAndCost() throws Exception {
    String gen = gateway.url("/v1/images/generations");
    assertThat(Http.postJson(gen, RunningGateway.MASTER_KEY, "{\"prompt\":\"" + PROMPT + "\",\"quality\":\"low\"}")
        .status()).isEqualTo(200);
    assertThat(Http.postJson(gen, RunningGateway.MASTER_KEY, "{\"prompt\":\"x\",\"size\":\"1024X1024\"}").status())
        .isEqualTo(400);
    assertThat(Http.postJson(gen, RunningGateway.MASTER_KEY, "{\"model\":\"no-such-model-93\",\"prompt\":\"x\"}").status())
        .isEqualTo(404);
    // a streamed call: its time to the first partial image
    assertThat(Http.postJson(gen, RunningGateway.MASTER_KEY, "{\"prompt\":\"x\",\"quality\":\"low\",\"stream\":true,"
        + "\"partial_images\":2}").status()).isEqualTo(200);
    // a refused n below 1 is counted (and recorded) like any other refusal, not lost to the ledger's checks
    assertThat(Http.postJson(gen, RunningGateway.MASTER_KEY, "{\"prompt\":\"x\",\"n\":-1}").status()).isEqualTo(400);
    String text = scrape(gateway.url("/metrics"), "Bearer " + TOKEN);
    assertThat(text).contains("imagegate_requests_total{deployment=\"local\",error_type=\"none\",model=\"gpt-image-2\","
        + "operation=\"image_generation\",provider=\"imagegate-local\",status=\"200\"} 2.0");
    assertThat(text).contains("imagegate_time_to_first_partial_seconds_count{model=\"gpt-image-2\","
        + "provider=\"imagegate-local\"} 1");
    assertThat(text).containsPattern("imagegate_requests_total\\{[^}]*error_type=\"caller_invalid_request\"[^}]*"
        + "model=\"gpt-image-2\"[^}]*status=\"400\"} 2.0");
    // a model nobody routes is not a label value of its own
    assertThat(text).containsPattern("imagegate_requests_total\\{[^}]*error_type=\"caller_unknown_model\"[^}]*"
        + "model=\"_other\"[^}]*status=\"404\"} 1.0").doesNotContain("no-such-model-93");
    assertThat(text).containsPattern("imagegate_request_duration_seconds_bucket\\{[^}]*outcome=\"success\"[^}]*le=\"600.0\"} 2");
    assertThat(text).contains("imagegate_images_total{model=\"gpt-image-2\",operation=\"image_generation\","
        + "quality=\"low\",size_class=\"1K\"} 2.0");
    assertThat(text).containsPattern("imagegate_tokens_total\\{kind=\"image_out\",model=\"gpt-image-2\"} [1-9]");
    assertThat(text).containsPattern("imagegate_tokens_total\\{kind=\"text_in\",model=\"gpt-image-2\"} [1-9]");
    assertThat(text).containsPattern("imagegate_cost_usd_total\\{key_id=\"[^\"]+\",model=\"gpt-image-2\"} 0\\.0*[1-9]");
    assertThat(text).contains("imagegate_inflight_requests 0.0").contains("imagegate_inflight_body_bytes 0.0");
    assertThat(text).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
    assertThat(text).doesNotContain("Zephyrine").doesNotContain(RunningGateway.MASTER_KEY).doesNotContain(TOKEN);
  }

  @Test
  void ourOwnRateLimitAndBudgetRefusals_areCountedApart() throws Exception {
    String gen = gateway.url("/v1/images/generations");
    String limited = Http.postJson(gateway.url("/admin/keys"), RunningGateway.MASTER_KEY, "{\"name\":\"one a minute\","
        + "\"rpm\":1}").json().get("secret").asText();
    String broke = Http.postJson(gateway.url("/admin/keys"), RunningGateway.MASTER_KEY, "{\"name\":\"no money\","
        + "\"budget\":{\"usd\":0,\"period\":\"daily\"}}").json().get("secret").asText();
    // another model than the other tests count, so that the order they run in does not matter
    String call = "{\"model\":\"gpt-image-1.5\",\"prompt\":\"x\",\"quality\":\"low\"}";
    assertThat(Http.postJson(gen, limited, call).status()).isEqualTo(200);
    assertThat(Http.postJson(gen, limited, call).status()).isEqualTo(429);
    assertThat(Http.postJson(gen, limited, call).status()).isEqualTo(429);
    Http.Answer poor = Http.postJson(gen, broke, call);
    assertThat(poor.status()).isEqualTo(429);
    assertThat(poor.error().get("code").asText()).isEqualTo("insufficient_quota");
    String text = scrape(gateway.url("/metrics"), "Bearer " + TOKEN);
    assertThat(text).contains("imagegate_ratelimit_refusals_total{limit=\"rpm\"} 2.0");
    assertThat(text).contains("imagegate_budget_refusals_total{period=\"daily\"} 1.0");
    assertThat(text).containsPattern("imagegate_requests_total\\{[^}]*error_type=\"policy_rate_limited\"[^}]*model=\"gpt-image-1.5\"[^}]*status=\"429\"} 2.0");
  }

  @Test
  void everyAnswer_isCountedByRoute_evenARefusalBeforeAnyKeyIsKnown() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(Http.postJson(gateway.url("/v1/images/edits"), null, "{}").status()).isEqualTo(401);
    }
    assertThat(Http.get(gateway.url("/v1/images/files/nope"), null).status()).isIn(400, 403, 404);
    assertThat(Http.get(gateway.url("/no/such/path/42"), null).status()).isEqualTo(404);
    String text = scrape(gateway.url("/metrics"), "Bearer " + TOKEN);
    assertThat(text).contains("imagegate_http_requests_total{error_type=\"policy_auth_failed\",method=\"POST\","
        + "route=\"/v1/images/edits\",status=\"401\"} 3.0");
    assertThat(text).contains("route=\"/v1/images/files/{id}\"").contains("route=\"(no route)\"")
        .doesNotContain("/no/such/path").doesNotContain("files/nope");
  }

  @Test
  void metrics_forAnAdminKeyOrTheToken_elseAnOpenAiShaped401or403() throws Exception {
    String url = gateway.url("/metrics");
    assertThat(scrape(url, "Bearer " + RunningGateway.MASTER_KEY)).contains("imagegate_inflight_requests");
    HttpResponse<String> none = get(url, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(Http.json(none.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
    assertThat(get(url, "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(get(url, TOKEN).statusCode()).as("the token without its scheme").isEqualTo(401);
    String user = gateway.gateway().keys().create("images only", java.util.List.of(), false).secret();
    HttpResponse<String> notAdmin = get(url, "Bearer " + user);
    assertThat(notAdmin.statusCode()).isEqualTo(403);
    assertThat(Http.json(notAdmin.body()).at("/error/code").asText()).isEqualTo("admin_required");
  }

  @Test
  void theMetricsPort_servesWithoutAKey() throws Exception {
    int port = gateway.gateway().metricsPort();
    assertThat(port).isPositive().isNotEqualTo(gateway.gateway().port());
    HttpResponse<String> r = get("http://127.0.0.1:" + port + "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body()).contains("imagegate_inflight_requests");
  }

  private static String scrape(String url, String auth) throws Exception {
    HttpResponse<String> r = get(url, auth);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    return r.body();
  }

  private static HttpResponse<String> get(String url, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (auth != null) b.header("Authorization", auth);
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
