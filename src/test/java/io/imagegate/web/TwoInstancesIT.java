package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.auth.Budget;
import io.imagegate.auth.KeySpec;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestPostgres;
import io.imagegate.testing.TestRedis;
import io.imagegate.usage.TokenMeter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances behind one imaginary load balancer, sharing one real PostgreSQL and one real Redis:
 * keys, limits, budgets and the ledger act as one.
 */
class TwoInstancesIT {
  private static final String PROMPT = "a lighthouse in the fog";
  private static final String BODY = "{\"prompt\":\"" + PROMPT + "\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
  private static String databaseUrl;
  private static RunningGateway a;
  private static RunningGateway b;
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    databaseUrl = TestPostgres.get().newDatabase();
    Map<String, String> env = Map.of("IMAGEGATE_DATABASE_URL", databaseUrl,
        "IMAGEGATE_REDIS_URL", TestRedis.get().url(), "IMAGEGATE_REDIS_PREFIX", TestRedis.get().newPrefix());
    a = RunningGateway.start(env);
    b = RunningGateway.start(env);
  }

  @AfterAll
  static void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
  }

  @Test
  void aLimitOf10RequestsPerMinute_holdsAcrossBothInstances() throws Exception {
    String key = a.gateway().keys().create(new KeySpec("rpm10", null, List.of(), List.of("images"), 10, null, null,
        null, false)).secret();
    // Both instances warm (one call each with another key), so that neither wins the race below by a cold start.
    String warm = a.gateway().keys().create("warm-up", List.of(), false).secret();
    for (RunningGateway g : List.of(a, b)) {
      assertThat(CLIENT.send(post(g, warm), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) calls.add(CLIENT.sendAsync(post(i % 2 == 0 ? a : b, key), HttpResponse.BodyHandlers.ofString()));
    int ok = 0;
    int limited = 0;
    int okOnB = 0;
    for (int i = 0; i < calls.size(); i++) {
      HttpResponse<String> r = calls.get(i).join();
      if (r.statusCode() == 200) {
        ok++;
        if (i % 2 == 1) okOnB++;
        assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).hasValue("10");
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.body()).contains("rate_limit_exceeded");
        assertThat(Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        limited++;
      }
    }
    assertThat(ok).isEqualTo(10);
    assertThat(limited).isEqualTo(20);
    assertThat(okOnB).as("both instances served some").isBetween(1, 9);
  }

  @Test
  void a200RequestBurstSplitOverBothInstances_spendsExactlyTheBudget() throws Exception {
    double perRequest = (TokenMeter.textTokens(PROMPT) * 5.0 + 196 * 30.0) / 1_000_000;
    double budget = perRequest * 50.5;
    KeySpec spec = new KeySpec("budget50", null, List.of(), List.of("images"), null, null,
        new Budget(budget, Budget.Period.DAILY), null, false);
    var created = a.gateway().keys().create(spec);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(CLIENT.sendAsync(post(i % 2 == 0 ? a : b, created.secret()), HttpResponse.BodyHandlers.ofString()));
    }
    int ok = 0;
    int refused = 0;
    List<String> other = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.join();
      if (r.statusCode() == 200) ok++;
      else if (r.statusCode() == 429 && r.body().contains("insufficient_quota")) refused++;
      else other.add(r.statusCode() + " " + r.body());
    }
    assertThat(other).isEmpty();
    assertThat(ok).isEqualTo(50);
    assertThat(refused).isEqualTo(150);
    double ledgerSum = sql("SELECT COALESCE(SUM(cost_usd), 0) FROM usage_ledger WHERE key_id = '" + created.key().id() + "'");
    assertThat(ledgerSum).isLessThanOrEqualTo(budget).isCloseTo(50 * perRequest, Offset.offset(1e-9));
    assertThat(sql("SELECT COUNT(*) FROM usage_ledger WHERE status = 200 AND key_id = '" + created.key().id() + "'"))
        .isEqualTo(50.0);
    // Either instance reports the same spend: one ledger.
    assertThat(Http.get(b.url("/v1/usage"), created.secret()).json().at("/total/cost_usd").asDouble())
        .isCloseTo(ledgerSum, Offset.offset(1e-12));
  }

  @Test
  void bothInstancesAreReady_withTheirStoreAndRedisReachable() {
    for (RunningGateway g : List.of(a, b)) {
      Http.Answer ready = Http.get(g.url("/ready"), null);
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().get("status").asText()).isEqualTo("ready");
    }
  }

  @Test
  void aKeyRevokedThroughOneInstance_isRefusedByTheOtherOnItsNextRequest() throws Exception {
    var created = a.gateway().keys().create(new KeySpec("short-lived", null, List.of(), List.of("images"), null, null,
        null, null, false));
    assertThat(CLIENT.send(post(b, created.secret()), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    HttpResponse<String> revoked = CLIENT.send(HttpRequest.newBuilder(URI.create(a.url("/admin/keys/" + created.key().id())))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    HttpResponse<String> refused = CLIENT.send(post(b, created.secret()), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("revoked");
  }

  private static HttpRequest post(RunningGateway g, String key) {
    return HttpRequest.newBuilder(URI.create(g.url("/v1/images/generations")))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
  }

  private static double sql(String query) throws Exception {
    try (Connection c = DriverManager.getConnection(databaseUrl); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getDouble(1);
    }
  }
}
