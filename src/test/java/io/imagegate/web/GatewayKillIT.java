package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Kill -9 the gateway in the middle of a load; after restart every request that was answered 200 has its
 * row, and no row is charged twice." The gateway runs as a child JVM ({@code io.imagegate.Main}, as
 * {@code ./imagegate} runs it) under 12 concurrent clients and is SIGKILLed while they run.
 */
class GatewayKillIT {
  private static final String BODY = "{\"prompt\":\"a paper boat on a pond\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
  private static final int CLIENTS = 12;
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void killMinus9UnderLoad_everyAnswered200HasItsRow_noneChargedTwice(TestDatabase store) throws Exception {
    String url = store.newUrl(tmp);
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("IMAGEGATE_DATABASE_URL", url);
    env.put("IMAGEGATE_DATA_DIR", tmp.resolve("data").toString());
    env.put("IMAGEGATE_MASTER_KEY", RunningGateway.MASTER_KEY);
    env.put("IMAGEGATE_HOST", "127.0.0.1");
    env.put("IMAGEGATE_PORT", Integer.toString(port));

    Process gateway = start(env, tmp.resolve("first.log"));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Set<String> answered = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    int errors;
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      int[] failed = new int[1];
      for (int c = 0; c < CLIENTS; c++) {
        clients.submit(() -> {
          while (!stop.get()) {
            try {
              HttpResponse<String> r = client.send(post(port), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200 && r.body().contains("b64_json")) {
                answered.add(r.headers().firstValue("x-request-id").orElseThrow());
              }
            } catch (IOException e) {
              synchronized (failed) {
                failed[0]++;
              }
            }
          }
          return null;
        });
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (answered.size() < 60 && System.nanoTime() < deadline) Thread.sleep(10);
      gateway.toHandle().destroyForcibly(); // SIGKILL, with CLIENTS requests in flight
      assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300); // let the clients see their connections die
      stop.set(true);
      errors = failed[0];
    }
    assertThat(gateway.exitValue()).isEqualTo(137); // 128 + SIGKILL: no shutdown hook ran
    assertThat(answered).hasSizeGreaterThanOrEqualTo(60);
    assertThat(errors).as("requests cut by the kill").isPositive();

    // Restart on the same store; it must come up and serve from the same ledger.
    Process again = start(env, tmp.resolve("second.log"));
    try {
      HttpResponse<String> usage = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/usage"))
          .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(usage.statusCode()).isEqualTo(200);
    } finally {
      again.destroy();
      again.waitFor(20, TimeUnit.SECONDS);
    }
    Set<String> charged = new HashSet<>();
    double perRequest;
    try (Connection c = open(url); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT request_id FROM usage_ledger WHERE status = 200")) {
        while (rs.next()) assertThat(charged.add(rs.getString(1))).as("charged once").isTrue();
      }
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT request_id), MIN(cost_usd), MAX(cost_usd),"
          + " SUM(cost_usd) FROM usage_ledger WHERE status = 200")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(rs.getLong(2));
        perRequest = rs.getDouble(3);
        assertThat(rs.getDouble(4)).isEqualTo(perRequest); // the same request each time: the same price
        assertThat(rs.getDouble(5)).isCloseTo(perRequest * rs.getLong(1), org.assertj.core.data.Offset.offset(1e-9));
      }
    }
    assertThat(perRequest).isPositive();
    assertThat(charged).containsAll(answered);
    // Rows beyond what clients saw: answers committed to the ledger whose bytes the kill cut off. At most the
    // requests that were in flight.
    assertThat(charged.size() - answered.size()).isBetween(0, CLIENTS);
  }

  private static Process start(Map<String, String> env, Path log) throws Exception {
    String cp = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", cp, "io.imagegate.Main")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("IMAGEGATE_") || k.startsWith("OPENAI_") || k.startsWith("AZURE_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    HttpClient probe = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        if (probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("IMAGEGATE_PORT") + "/health"))
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return p;
      } catch (IOException notYet) {
        if (!p.isAlive()) throw new IllegalStateException("the gateway exited: " + Files.readString(log));
        if (System.nanoTime() > deadline) throw new IllegalStateException("the gateway did not start");
        Thread.sleep(100);
      }
    }
  }

  private static HttpRequest post(int port) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/images/generations"))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
  }

  private static Connection open(String url) throws Exception { return DriverManager.getConnection(url); }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
