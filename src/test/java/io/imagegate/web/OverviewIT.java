package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.metrics.ErrorType;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestDatabase;
import io.imagegate.usage.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /admin/overview} over real HTTP on SQLite and PostgreSQL: each window's totals, buckets, errors
 * by type and latency against the rows seeded, counted here from the window the answer names.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class OverviewIT {
  private static final String[][] OUTCOMES = {{"200", null}, {"200", null}, {"200", null}, {"200", null},
      {"200", null}, {"200", null}, {"429", "rate_limit_exceeded"}, {"429", "rate_limit_exceeded"},
      {"429", "upstream_rate_limited"}, {"502", "upstream_error"}, {"400", "invalid_value"}};
  @Parameter TestDatabase store; // the class is run once per store; start() gets it too
  private static UsageFixture usage;
  private static List<LedgerEntry> rows;

  @BeforeParameterizedClassInvocation
  static void start(TestDatabase store) {
    usage = UsageFixture.start(store);
    Instant now = Instant.now();
    rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      // spread over 35 days, denser in the last day; one in ten rows slow
      long agoMinutes = i % 2 == 0 ? i * 7L : i * 127L;
      // no rows from 5 to 9 hours ago, nor 10 to 13 days ago: empty hours and days
      if (agoMinutes >= 300 && agoMinutes < 540 || agoMinutes >= 14_400 && agoMinutes < 18_720) continue;
      String[] o = OUTCOMES[i % OUTCOMES.length];
      int status = Integer.parseInt(o[0]);
      long latency = i % 10 == 9 ? 45_000 + i : 3_000 + i;
      rows.add(new LedgerEntry(now.minus(Duration.ofMinutes(agoMinutes)), "seed-" + i, "key_" + i % 5, "gpt-image-2",
          "dep", "openai", "generations", null, null, 1, status < 400 ? 1 + i % 2 : 0, 10, 0, 100,
          status < 400 ? 0.01 * (1 + i % 3) : 0, status, o[1], latency, null, null));
    }
    usage.seed(rows);
  }

  @AfterParameterizedClassInvocation
  static void stop() { usage.close(); }

  @Test
  void last24h_inHourlyBuckets_matchesTheRowsOfItsHours() {
    JsonNode o = usage.get("/admin/overview?window=24h");
    assertThat(usage.get("/admin/overview").get("window").asText()).isEqualTo("24h");
    assertThat(o.get("object").asText()).isEqualTo("usage.overview");
    long from = o.get("from").asLong(), to = o.get("to").asLong();
    assertThat(to - from).isEqualTo(24 * 3600);
    assertThat(from % 3600).isZero();
    assertThat(Instant.ofEpochSecond(to)).isAfter(Instant.now().minusSeconds(5)); // the current hour is the last
    assertWindow(o, 3600);
    assertThat(o.get("series").findValues("requests")).anySatisfy(n -> assertThat(n.asLong()).isZero()); // 5-9 h ago
  }

  @Test
  void last7dAnd30d_inUtcDayBuckets_matchTheRowsOfTheirHours() {
    for (String w : List.of("7d", "30d")) {
      JsonNode o = usage.get("/admin/overview?window=" + w);
      assertThat(o.get("window").asText()).isEqualTo(w);
      long hours = (o.get("to").asLong() - o.get("from").asLong()) / 3600;
      assertThat(hours).isEqualTo(w.equals("7d") ? 168 : 720);
      assertWindow(o, 86_400);
      if (w.equals("30d")) { // 10-13 days ago
        assertThat(o.get("series").findValues("requests")).anySatisfy(n -> assertThat(n.asLong()).isZero());
      }
    }
  }

  @Test
  void latency_percentilesFallInTheBucketsOfTheRowsLatencies() {
    JsonNode latency = usage.get("/admin/overview?window=30d").get("latency_ms");
    // nine in ten rows took 3 s (bucket 2-5 s), one in ten 45 s (bucket 30-60 s)
    assertThat(latency.get("p50").asDouble()).isBetween(2_000.0, 5_000.0);
    assertThat(latency.get("p95").asDouble()).isBetween(30_000.0, 60_000.0);
  }

  @Test
  void aRequestThroughTheGateway_isInTheOverviewOnceItIsAnswered() {
    JsonNode before = usage.get("/admin/overview?window=30d");
    Http.Answer refused = Http.postJson(usage.gateway().url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"prompt\":\"x\",\"size\":\"7x7\"}");
    assertThat(refused.status()).isEqualTo(400);
    JsonNode after = usage.get("/admin/overview?window=30d");
    assertThat(after.get("requests").asLong() - before.get("requests").asLong()).isEqualTo(1);
    assertThat(after.get("errors").asLong() - before.get("errors").asLong()).isEqualTo(1);
    assertThat(count(after, "caller_invalid_request") - count(before, "caller_invalid_request")).isEqualTo(1);
  }

  @Test
  void anUnknownWindow_is400_onWindow() {
    for (String w : List.of("1w", "24H", "7", "90d", "24h%20")) usage.assertInvalid("/admin/overview?window=" + w, "window");
    String key = usage.gateway().gateway().keys().create("not-admin", List.of(), false).secret();
    assertThat(Http.get(usage.gateway().url("/admin/overview"), key).status()).isEqualTo(403);
  }

  /** Totals, errors by type and every bucket of {@code o}, against the seeded rows in [from, to). */
  private static void assertWindow(JsonNode o, long bucketSeconds) {
    long from = o.get("from").asLong(), to = o.get("to").asLong();
    List<LedgerEntry> in = rows.stream()
        .filter(e -> e.at().getEpochSecond() >= from && e.at().getEpochSecond() < to).toList();
    assertThat(in).isNotEmpty();
    // a request through the gateway (another test) may be in it too: at most one
    assertThat(o.get("requests").asLong() - in.size()).isBetween(0L, 1L);
    boolean extra = o.get("requests").asLong() > in.size();
    assertThat(o.get("errors").asLong() - (extra ? 1 : 0)).isEqualTo(in.stream().filter(e -> e.status() >= 400).count());
    assertThat(o.get("images").asLong()).isEqualTo(in.stream().mapToLong(LedgerEntry::imagesReturned).sum());
    assertThat(o.get("cost_usd").asDouble()).isCloseTo(in.stream().mapToDouble(LedgerEntry::costUsd).sum(), within(1e-9));

    Map<String, Long> types = new TreeMap<>();
    in.stream().filter(e -> e.status() >= 400)
        .forEach(e -> types.merge(ErrorType.of(e.status(), e.errorCode()).label(), 1L, Long::sum));
    if (extra) types.merge("caller_invalid_request", 1L, Long::sum);
    Map<String, Long> answered = new LinkedHashMap<>();
    o.get("errors_by_type").forEach(t -> answered.put(t.get("error_type").asText(), t.get("requests").asLong()));
    assertThat(answered).isEqualTo(types);
    assertThat(answered.keySet()).contains("policy_rate_limited", "provider_rate_limited"); // never merged
    List<Long> counts = new ArrayList<>(answered.values());
    for (int i = 1; i < counts.size(); i++) assertThat(counts.get(i)).isLessThanOrEqualTo(counts.get(i - 1));

    JsonNode series = o.get("series");
    long first = Math.floorDiv(from, bucketSeconds) * bucketSeconds;
    long last = Math.floorDiv(to - 3600, bucketSeconds) * bucketSeconds;
    assertThat(series).hasSize((int) ((last - first) / bucketSeconds + 1));
    long sum = 0;
    for (int i = 0; i < series.size(); i++) {
      JsonNode b = series.get(i);
      long t = first + i * bucketSeconds;
      assertThat(b.get("t").asLong()).isEqualTo(t);
      List<LedgerEntry> bucket = in.stream().filter(e -> e.at().getEpochSecond() >= t && e.at().getEpochSecond() < t + bucketSeconds)
          .toList();
      if (!extra) {
        assertThat(b.get("requests").asLong()).as("bucket %d", t).isEqualTo(bucket.size());
        assertThat(b.get("errors").asLong()).isEqualTo(bucket.stream().filter(e -> e.status() >= 400).count());
      }
      assertThat(b.get("images").asLong()).isEqualTo(bucket.stream().mapToLong(LedgerEntry::imagesReturned).sum());
      assertThat(b.get("cost_usd").asDouble()).isCloseTo(bucket.stream().mapToDouble(LedgerEntry::costUsd).sum(), within(1e-9));
      sum += b.get("requests").asLong();
    }
    assertThat(sum).isEqualTo(o.get("requests").asLong());
  }

  private static long count(JsonNode overview, String type) {
    for (JsonNode t : overview.get("errors_by_type")) if (t.get("error_type").asText().equals(type)) return t.get("requests").asLong();
    return 0;
  }
}
