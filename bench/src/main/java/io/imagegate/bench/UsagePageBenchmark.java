package io.imagegate.bench;

import io.imagegate.Gateway;
import io.imagegate.config.ConfigLoader;
import io.imagegate.provider.ProviderRegistry;
import io.imagegate.store.Database;
import io.imagegate.usage.RequestCursor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The usage page's API calls against a month of 1,000,000 ledger rows ({@link UsageRows}), each timed from the
 * request sent to the whole answer read, over HTTP on loopback to a real gateway in this JVM: the overview of
 * 30 days and of 24 hours; {@code /admin/usage} by day, model and key over 30 days with ragged bounds (minutes
 * and seconds off the hour at both ends); and the first page and a deep page (20 days back, some 400 pages
 * in for the key) of {@code /admin/requests} filtered by key, status class, error type and model.
 *
 * <p>{@code store=sqlite}: a file under {@code bench/target/usage-page/}, filled once and kept for later runs
 * (refilled when it is a day old, as the windows follow the clock). {@code store=postgres}: the database named
 * by {@code IMAGEGATE_BENCH_DATABASE_URL}, filled when empty. {@code bench/usage-page} runs both with a
 * throwaway PostgreSQL (see bench/README.md):
 *
 * <pre>
 * bench/usage-page
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-DIMAGEGATE_ACCESS_LOG=OFF"})
@State(Scope.Benchmark)
public class UsagePageBenchmark {
  private static final String KEY = "sk-bench-master-key-0123456789";

  @Param({"sqlite"})
  public String store;

  @Param({"1000000"})
  public int rows;

  private Gateway gateway;
  private Path dataDir;
  private HttpClient client;
  private String base;
  private String usageWindow;
  private String deepCursor;

  @Setup(Level.Trial)
  public void start() throws Exception {
    String url;
    if (store.equals("postgres")) {
      url = System.getenv("IMAGEGATE_BENCH_DATABASE_URL");
      if (url == null || url.isBlank()) throw new IllegalStateException("store=postgres needs IMAGEGATE_BENCH_DATABASE_URL");
    } else {
      Path file = Path.of("bench/target/usage-page/usage-" + rows + ".db").toAbsolutePath();
      Files.createDirectories(file.getParent());
      boolean stale = Files.exists(file)
          && Files.getLastModifiedTime(file).toInstant().isBefore(Instant.now().minus(Duration.ofDays(1)));
      if (stale) deleteSqlite(file);
      url = "jdbc:sqlite:" + file;
    }
    try {
      UsageRows.ensure(url, rows);
      Database.open(url).close(); // migrated to this build's schema
    } catch (RuntimeException | SQLException e) {
      if (!store.equals("sqlite")) throw e;
      // a half-filled file from an interrupted run, or one another build's migrations made: fill a new one
      deleteSqlite(Path.of(url.substring("jdbc:sqlite:".length())));
      UsageRows.ensure(url, rows);
    }
    dataDir = Files.createTempDirectory("usage-page-bench");
    gateway = new Gateway(ConfigLoader.load(Map.of("IMAGEGATE_HOST", "127.0.0.1", "IMAGEGATE_PORT", "0",
        "IMAGEGATE_DATA_DIR", dataDir.toString(), "IMAGEGATE_MASTER_KEY", KEY, "IMAGEGATE_DATABASE_URL", url),
        ProviderRegistry.CATALOG)).start(); // the access log is off (-DIMAGEGATE_ACCESS_LOG=OFF on the fork)
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    base = "http://127.0.0.1:" + gateway.port();
    Instant now = Instant.now();
    // 30 days, 17 min 23 s past an hour at the start, 11 min 4 s into an hour at the end
    Instant from = now.minus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.HOURS).plusSeconds(17 * 60 + 23);
    Instant to = now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).minusSeconds(60 * 60 - 11 * 60 - 4);
    usageWindow = "&from=" + from.getEpochSecond() + "&to=" + to.getEpochSecond();
    deepCursor = new RequestCursor(now.minus(Duration.ofDays(20)).toEpochMilli(), "req_").encode();
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    gateway.close();
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public int overview30d() throws Exception { return get("/admin/overview?window=30d"); }

  @Benchmark
  public int overview24h() throws Exception { return get("/admin/overview?window=24h"); }

  @Benchmark
  public int usageByDay30d() throws Exception { return get("/admin/usage?group_by=day" + usageWindow); }

  @Benchmark
  public int usageByModel30d() throws Exception { return get("/admin/usage?group_by=model" + usageWindow); }

  @Benchmark
  public int usageByKey30d() throws Exception { return get("/admin/usage?group_by=key" + usageWindow); }

  @Benchmark
  public int requestsByKeyFirstPage() throws Exception { return get("/admin/requests?key=key_07"); }

  @Benchmark
  public int requestsByKeyDeepPage() throws Exception { return get("/admin/requests?key=key_07&cursor=" + deepCursor); }

  @Benchmark
  public int requests5xxFirstPage() throws Exception { return get("/admin/requests?status=5xx"); }

  @Benchmark
  public int requests5xxDeepPage() throws Exception { return get("/admin/requests?status=5xx&cursor=" + deepCursor); }

  @Benchmark
  public int requestsProviderTimeoutDeepPage() throws Exception {
    return get("/admin/requests?error_type=provider_timeout&cursor=" + deepCursor);
  }

  @Benchmark
  public int requestsByModelDeepPage() throws Exception { return get("/admin/requests?model=dall-e-3&cursor=" + deepCursor); }

  /** One call, its answer read whole; anything but a 200 stops the run. */
  private int get(String pathAndQuery) throws Exception {
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(pathAndQuery + " answered " + r.statusCode() + ": " + new String(r.body()));
    }
    return r.body().length;
  }

  private static void deleteSqlite(Path file) throws IOException {
    for (String suffix : new String[] {"", "-wal", "-shm"}) Files.deleteIfExists(Path.of(file + suffix));
  }
}
