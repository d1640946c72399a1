package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.metrics.ErrorType;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestDatabase;
import io.imagegate.usage.LedgerEntry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code GET /admin/requests} over real HTTP on SQLite and PostgreSQL: paging, each filter, the row's shape, bad input. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class RequestsIT {
  private static final String[][] OUTCOMES = {{"200", null}, {"200", null}, {"200", null}, {"200", null},
      {"429", "rate_limit_exceeded"}, {"429", "upstream_rate_limited"}, {"502", "upstream_error"}, {"400", "invalid_value"},
      {"504", "upstream_timeout"}};
  @Parameter TestDatabase store; // the class is run once per store; start() gets it too
  private static UsageFixture usage;
  private static List<LedgerEntry> rows; // newest first

  @BeforeParameterizedClassInvocation
  static void start(TestDatabase store) {
    usage = UsageFixture.start(store);
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(3, ChronoUnit.DAYS);
    rows = new ArrayList<>();
    for (int i = 0; i < 180; i++) {
      String[] o = OUTCOMES[i % OUTCOMES.length];
      int status = Integer.parseInt(o[0]);
      Instant at = t0.plusMillis((i - i / 4) * 61_000L); // every fourth row shares its millisecond with the one before
      rows.add(new LedgerEntry(at, String.format("req_%04d", i), "key_" + i % 4, i % 3 == 0 ? "gpt-image-1" : "gpt-image-2",
          "dep-" + i % 2, "openai", i % 5 == 0 ? "edits" : "generations", "1024x1024", "low", 2, status < 400 ? 2 : 0,
          11, 22, 33, status < 400 ? 0.0125 : 0, status, o[1], 1000 + i, "end-user-" + i, "a secret prompt " + i));
    }
    usage.seed(rows);
    rows.sort(Comparator.comparing(LedgerEntry::at).thenComparing(LedgerEntry::requestId).reversed());
  }

  @AfterParameterizedClassInvocation
  static void stop() { usage.close(); }

  @Test
  void pages_walkEveryRowOnce_newestFirst() {
    List<JsonNode> seen = walk("", 7);
    assertThat(seen).extracting(r -> r.get("request_id").asText()).containsExactlyElementsOf(ids(rows));
    assertThat(new HashSet<>(seen.stream().map(r -> r.get("request_id").asText()).toList())).hasSize(rows.size());
    JsonNode first = usage.get("/admin/requests");
    assertThat(first.get("object").asText()).isEqualTo("list");
    assertThat(first.get("data")).hasSize(50);
    assertThat(first.get("has_more").asBoolean()).isTrue();
    JsonNode all = usage.get("/admin/requests?limit=200");
    assertThat(all.findValuesAsText("request_id").stream().filter(id -> id.matches("req_\\d{4}"))).hasSize(180);
    assertThat(all.get("has_more").asBoolean()).isFalse();
    assertThat(all.get("next_cursor").isNull()).isTrue();
  }

  @Test
  void aRow_carriesItsMetadata_neverThePromptOrTheEndUser() {
    LedgerEntry e = rows.stream().filter(r -> r.requestId().equals("req_0006")).findFirst().orElseThrow();
    JsonNode row = walk("?key=key_2&model=gpt-image-1", 50).stream()
        .filter(r -> r.get("request_id").asText().equals("req_0006")).findFirst().orElseThrow();
    List<String> fields = new ArrayList<>();
    row.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("request_id", "created_at", "created_at_ms", "key_id", "model", "deployment",
        "provider", "endpoint", "size", "quality", "n", "images", "text_input_tokens", "image_input_tokens",
        "image_output_tokens", "cost_usd", "status", "error_code", "error_type", "latency_ms");
    assertThat(row.get("created_at").asLong()).isEqualTo(e.at().getEpochSecond());
    assertThat(row.get("created_at_ms").asLong()).isEqualTo(e.at().toEpochMilli());
    assertThat(row.get("status").asInt()).isEqualTo(502);
    assertThat(row.get("error_code").asText()).isEqualTo("upstream_error");
    assertThat(row.get("error_type").asText()).isEqualTo("provider_error");
    assertThat(row.get("latency_ms").asLong()).isEqualTo(1006);
    assertThat(row.get("cost_usd").asDouble()).isZero();
    assertThat(row.get("n").asInt()).isEqualTo(2);
    JsonNode ok = walk("", 200).getLast(); // req_0000, the oldest
    assertThat(ok.get("error_code").isNull()).isTrue();
    assertThat(ok.get("error_type").asText()).isEqualTo("none");
    assertThat(ok.get("endpoint").asText()).isEqualTo("edits");
    assertThat(ok.get("images").asInt()).isEqualTo(2);
    assertThat(ok.get("text_input_tokens").asLong()).isEqualTo(11);
    String text = new String(Http.get(usage.gateway().url("/admin/requests?limit=200"), RunningGateway.MASTER_KEY).raw()
        .body(), StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("secret prompt").doesNotContain("end-user-");
  }

  @Test
  void eachFilter_walksExactlyTheMatchingRows() {
    check("?key=key_1", e -> e.keyId().equals("key_1"));
    check("?model=gpt-image-1", e -> e.modelAsked().equals("gpt-image-1"));
    check("?status=429", e -> e.status() == 429);
    check("?status=5xx", e -> e.status() >= 500);
    check("?status=2xx&key=key_3", e -> e.status() == 200 && e.keyId().equals("key_3"));
    // the gateway's own 429 and an upstream's never merge
    check("?error_type=policy_rate_limited", e -> "rate_limit_exceeded".equals(e.errorCode()));
    check("?error_type=provider_rate_limited", e -> "upstream_rate_limited".equals(e.errorCode()));
    check("?error_type=provider_timeout&model=gpt-image-2", e -> e.status() == 504 && e.modelAsked().equals("gpt-image-2"));
    check("?error_type=none", e -> e.status() == 200);
    check("?key=&model=&status=&error_type=", e -> true); // empty is left out
    for (String q : List.of("?key=nobody", "?status=418", "?error_type=gateway_overloaded", "?error_type=none&status=5xx")) {
      JsonNode page = usage.get("/admin/requests" + q);
      assertThat(page.get("data")).as(q).isEmpty();
      assertThat(page.get("has_more").asBoolean()).isFalse();
    }
    for (ErrorType t : ErrorType.values()) {
      long expected = rows.stream().filter(e -> ErrorType.of(e.status(), e.errorCode()) == t).count();
      assertThat(walk("?error_type=" + t.label(), 200)).as(t.label()).hasSize((int) expected);
    }
  }

  @Test
  void aRequestThroughTheGateway_isListedFirst() {
    String secret = usage.gateway().gateway().keys().create("lister", List.of(), false).secret();
    Http.Answer ok = Http.postJson(usage.gateway().url("/v1/images/generations"), secret,
        "{\"prompt\":\"a lantern\",\"quality\":\"low\"}");
    assertThat(ok.status()).isEqualTo(200);
    JsonNode newest = usage.get("/admin/requests?limit=1").get("data").get(0);
    assertThat(newest.get("request_id").asText()).isEqualTo(ok.header("x-request-id"));
    assertThat(newest.get("status").asInt()).isEqualTo(200);
    assertThat(newest.get("provider").asText()).isEqualTo("imagegate-local");
    // and on its own, by id: what the playground shows as the call's cost
    JsonNode one = usage.get("/admin/requests/" + ok.header("x-request-id"));
    assertThat(one).isEqualTo(newest);
    assertThat(one.get("cost_usd").asDouble()).isPositive();
    Http.Answer missing = Http.get(usage.gateway().url("/admin/requests/req_nope"), RunningGateway.MASTER_KEY);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.error().get("code").asText()).isEqualTo("request_not_found");
    assertThat(Http.get(usage.gateway().url("/admin/requests/" + ok.header("x-request-id")), secret).status())
        .as("admins only").isEqualTo(403);
  }

  @Test
  void badParameters_are400sNamingTheParameter() {
    for (String limit : List.of("0", "201", "-1", "abc", "1.5", "0050000")) {
      usage.assertInvalid("/admin/requests?limit=" + limit, "limit");
    }
    for (String status : List.of("4x", "600", "42", "4xx5", "abc", "2XY", "099")) {
      usage.assertInvalid("/admin/requests?status=" + status, "status");
    }
    usage.assertInvalid("/admin/requests?error_type=rate_limited", "error_type");
    usage.assertInvalid("/admin/requests?error_type=POLICY_RATE_LIMITED", "error_type");
    assertThat(usage.get("/admin/requests?cursor=").get("data")).hasSizeGreaterThanOrEqualTo(50); // empty: from the newest
    for (String cursor : List.of("nope!", "bm90LWEtY3Vyc29y", "abc")) {
      usage.assertInvalid("/admin/requests?cursor=" + cursor, "cursor");
    }
    String key = usage.gateway().gateway().keys().create("not-admin", List.of(), false).secret();
    assertThat(Http.get(usage.gateway().url("/admin/requests"), key).status()).isEqualTo(403);
    assertThat(Http.get(usage.gateway().url("/admin/requests"), null).status()).isEqualTo(401);
  }

  private static void check(String query, Predicate<LedgerEntry> matches) {
    List<String> expected = ids(rows.stream().filter(matches).toList());
    assertThat(expected).as(query).isNotEmpty();
    List<String> seen = walk(query, 9).stream().map(r -> r.get("request_id").asText()).toList();
    // a request through the gateway may be listed first: only the seeded rows are compared
    assertThat(seen.stream().filter(id -> id.matches("req_\\d{4}")).toList()).as(query).containsExactlyElementsOf(expected);
  }

  /** Every page, following next_cursor; checks the page shape on the way. */
  private static List<JsonNode> walk(String query, int limit) {
    List<JsonNode> all = new ArrayList<>();
    String sep = query.isEmpty() ? "?" : "&";
    String cursor = null;
    Set<String> cursors = new HashSet<>();
    for (int pages = 0; pages < 500; pages++) {
      JsonNode page = usage.get("/admin/requests" + query + sep + "limit=" + limit
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      page.get("data").forEach(all::add);
      if (!page.get("has_more").asBoolean()) {
        assertThat(page.get("next_cursor").isNull()).isTrue();
        return all.stream().filter(r -> r.get("request_id").asText().matches("req_\\d{4}")).toList();
      }
      assertThat(page.get("data")).hasSize(limit);
      cursor = page.get("next_cursor").asText();
      assertThat(cursors.add(cursor)).isTrue();
    }
    throw new AssertionError("too many pages");
  }

  private static List<String> ids(List<LedgerEntry> entries) { return entries.stream().map(LedgerEntry::requestId).toList(); }
}
