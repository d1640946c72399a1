package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestPostgres;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL (and one shared data dir for the image store) share a queue of jobs; one,
 * a child JVM, is SIGKILLed midway with jobs running. Its leases run out, the other instance and a restarted
 * one take those jobs up: every job ends exactly once, succeeded, with exactly one charge.
 */
class JobsAcrossInstancesIT {
  private static final String MASTER = RunningGateway.MASTER_KEY;
  private static final int JOBS = 40;
  @TempDir Path tmp;

  @Test
  void killOneInstanceMidway_everyJobEndsOnce_chargedOnce_noneLost() throws Exception {
    String db = TestPostgres.get().newDatabase();
    Map<String, String> env = new HashMap<>();
    env.put("IMAGEGATE_DATABASE_URL", db);
    env.put("IMAGEGATE_DATA_DIR", tmp.resolve("data").toString());
    env.put("IMAGEGATE_MASTER_KEY", MASTER);
    env.put("IMAGEGATE_HOST", "127.0.0.1");
    env.put("IMAGEGATE_JOB_LEASE_SECONDS", "3");
    Map<String, String> killed = new HashMap<>(env);
    killed.put("IMAGEGATE_PORT", Integer.toString(freePort()));
    killed.put("IMAGEGATE_JOB_WORKERS", "4");
    Process a = start(killed, tmp.resolve("a.log"));
    List<String> ids = new ArrayList<>();
    Map<String, String> other = new HashMap<>(env);
    other.put("IMAGEGATE_JOB_WORKERS", "1");
    try (RunningGateway b = RunningGateway.start(other)) {
      JobClient viaA = new JobClient(() -> "http://127.0.0.1:" + killed.get("IMAGEGATE_PORT"));
      JobClient viaB = new JobClient(b::baseUrl);
      for (int i = 0; i < JOBS; i++) {
        String body = "{\"prompt\":\"harbour crane number " + i + "\",\"size\":\"1536x1024\",\"quality\":\"high\"}";
        ids.add((i % 2 == 0 ? viaA : viaB).submitted(MASTER, body));
      }
      // a lease owner names its process: wait until the instance about to die holds a running job
      String held = "status = 'running' AND lease_owner LIKE 'pid" + a.pid() + "-%'";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (count(db, held) < 1) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the instance to kill never ran a job; succeeded: " + count(db,
              "status = 'succeeded'") + ", queued: " + count(db, "status = 'queued'") + "; its log: "
              + Files.readString(tmp.resolve("a.log")));
        }
        Thread.sleep(2);
      }
      a.toHandle().destroyForcibly();
      assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(a.exitValue()).isEqualTo(137);
      assertThat(count(db, "status = 'succeeded'")).as("killed midway").isLessThan(JOBS);

      Process restarted = start(killed, tmp.resolve("a2.log"));
      try {
        for (String id : ids) {
          JsonNode done = viaB.await(MASTER, id, 180);
          assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
          assertThat(done.get("result").get("data").get(0).get("b64_json").asText()).isNotEmpty();
        }
      } finally {
        restarted.destroy();
        restarted.waitFor(20, TimeUnit.SECONDS);
      }
    }
    assertThat(count(db, "status = 'succeeded'")).isEqualTo(JOBS);
    assertThat(count(db, "attempts > 1")).as("the dead instance's jobs were taken up again").isPositive();
    try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT request_id FROM usage_ledger WHERE status = 200")) {
      List<String> charged = new ArrayList<>();
      while (rs.next()) charged.add(rs.getString(1));
      assertThat(charged).as("one charge per job, under the job's id").containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  private static long count(String db, String where) throws Exception {
    try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM image_jobs WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Process start(Map<String, String> env, Path log) throws Exception {
    String cp = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", cp, "io.imagegate.Main")
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
