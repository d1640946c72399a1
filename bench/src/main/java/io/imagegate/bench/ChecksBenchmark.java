package io.imagegate.bench;

import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Authenticator;
import io.imagegate.auth.Budget;
import io.imagegate.auth.JdbcKeyStore;
import io.imagegate.auth.KeySpec;
import io.imagegate.ratelimit.Decision;
import io.imagegate.ratelimit.InMemoryRateLimiter;
import io.imagegate.ratelimit.RateLimiter;
import io.imagegate.ratelimit.RedisRateLimiter;
import io.imagegate.store.Database;
import io.imagegate.store.Redis;
import io.imagegate.usage.BudgetGuard;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.LocalBudgetGuard;
import io.imagegate.usage.RedisBudgetGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency the gateway adds to each images request before any work, as the images endpoint runs them:
 * the key lookup (SHA-256 of the bearer secret, one indexed query), the rate-limit check (requests and images
 * per minute) and the budget's reservation of the worst case, then its settlement after the (here empty)
 * ledger write. Sampled per call, so JMH prints p50/p90/p99/p99.9.
 *
 * <p>{@code store=embedded}: SQLite + in-process counters (the default). {@code store=shared}: PostgreSQL +
 * Redis, as several instances run; it needs {@code IMAGEGATE_BENCH_DATABASE_URL} (an empty database) and
 * {@code IMAGEGATE_BENCH_REDIS_URL}. Run from the repository root with a JDK 21+:
 *
 * <pre>
 * ./mvnw -q -Dmaven.test.skip=true install &amp;&amp; ./mvnw -q -f bench/pom.xml package &amp;&amp; \
 *   java -jar bench/target/benchmarks.jar ChecksBenchmark -p store=embedded,shared
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(1)
@State(Scope.Benchmark)
public class ChecksBenchmark {
  @Param({"embedded"})
  public String store;

  private Database db;
  private JdbcUsageLedger ledger;
  private Redis redis;
  private Authenticator auth;
  private RateLimiter limiter;
  private BudgetGuard budgets;
  private String secret;

  @Setup(Level.Trial)
  public void open() throws IOException {
    boolean shared = store.equals("shared");
    String url = shared ? required("IMAGEGATE_BENCH_DATABASE_URL")
        : "jdbc:sqlite:" + Files.createTempDirectory("checks-bench").resolve("imagegate.db");
    db = Database.open(url);
    ledger = new JdbcUsageLedger(db.dataSource());
    JdbcKeyStore keys = new JdbcKeyStore(db.dataSource());
    // Limits and budget that hold every call of the run: the checks run in full but never refuse.
    secret = keys.create(new KeySpec("bench-" + System.nanoTime(), "bench", List.of(), List.of("images"), 50_000_000,
        50_000_000, new Budget(1_000_000, Budget.Period.MONTHLY), null, false)).secret();
    auth = new Authenticator(keys, null);
    if (shared) {
      redis = Redis.connect(required("IMAGEGATE_BENCH_REDIS_URL"), "bench" + System.nanoTime() + ":");
      limiter = new RedisRateLimiter(redis);
      budgets = new RedisBudgetGuard(redis, ledger, Clock.systemUTC(), Duration.ofMinutes(15));
    } else {
      limiter = new InMemoryRateLimiter();
      budgets = new LocalBudgetGuard(ledger, Clock.systemUTC());
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (redis != null) redis.close();
    ledger.close();
    db.close();
  }

  @Benchmark
  @Threads(1)
  public Decision oneClient() { return checks(); }

  @Benchmark
  @Threads(16)
  public Decision sixteenClients() { return checks(); }

  private Decision checks() {
    ApiKey key = auth.authenticate("Bearer " + secret);
    Decision d = limiter.acquire(key.id(), key.rpm(), key.ipm(), 1);
    if (!d.allowed()) throw new IllegalStateException("limited: " + d);
    try (BudgetGuard.Reservation held = budgets.reserve(key, 0.25)) {
      held.settle(0.01, () -> { });
    }
    return d;
  }

  private static String required(String variable) {
    String v = System.getenv(variable);
    if (v == null || v.isBlank()) throw new IllegalStateException("store=shared needs " + variable);
    return v;
  }
}
