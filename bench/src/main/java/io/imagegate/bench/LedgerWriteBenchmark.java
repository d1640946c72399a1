package io.imagegate.bench;

import io.imagegate.store.Database;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.LedgerEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
 * Usage-ledger rows committed per second, with one writer and with 64 concurrent writers; each
 * {@code record()} blocks until its row is committed, so ops/s is durable rows/s. With 64 writers the group
 * commit puts many rows into each transaction. {@code store=sqlite}: WAL, synchronous=NORMAL, a fresh file per
 * trial. {@code store=postgres}: the database named by {@code IMAGEGATE_BENCH_DATABASE_URL} (its ledger and
 * rollup are emptied first), as the server is configured (fsync and synchronous_commit on, for numbers that mean
 * something).
 *
 * <p>Run from the repository root, with {@code JAVA_HOME} set to a JDK 21 or newer:
 *
 * <pre>
 * ./mvnw -q -DskipTests install &amp;&amp; ./mvnw -q -f bench/pom.xml package &amp;&amp; java -jar bench/target/benchmarks.jar LedgerWriteBenchmark -wi 1 -i 2 -r 3 -p store=sqlite,postgres
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class LedgerWriteBenchmark {
  @Param({"sqlite"})
  public String store;

  private final AtomicLong ids = new AtomicLong();
  private Path dir;
  private Database db;
  private JdbcUsageLedger ledger;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("ledger-bench");
    if (store.equals("postgres")) {
      String url = System.getenv("IMAGEGATE_BENCH_DATABASE_URL");
      if (url == null || url.isBlank()) throw new IllegalStateException("store=postgres needs IMAGEGATE_BENCH_DATABASE_URL");
      db = Database.open(url);
      try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
        st.execute("DELETE FROM usage_ledger");
        st.execute("DELETE FROM usage_rollup");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    } else {
      db = Database.open("jdbc:sqlite:" + dir.resolve("usage.db"));
    }
    ledger = new JdbcUsageLedger(db.dataSource());
  }

  @TearDown(Level.Trial)
  public void close() {
    ledger.close();
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void recordOne() {
    long id = ids.incrementAndGet();
    ledger.record(new LedgerEntry(Instant.now(), "req_" + id, "key_" + (id & 15), "gpt-image-2", "openai-main", "openai",
        "generations", "1024x1024", "high", 1, 1, 11, 0, 7024, 0.210775, 200, null, 12_345, "user-" + (id & 255), null));
  }

  @Benchmark
  @Threads(1)
  public void oneWriter() { recordOne(); }

  @Benchmark
  @Threads(64)
  public void sixtyFourWriters() { recordOne(); }
}
