package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.imagegate.store.Database;
import io.imagegate.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hourly rollup as the ledger writer keeps it: each stored row counted once in its cell, in the
 * transaction that stored it; duplicates, the row-by-row fallback, a failed upsert and two instances writing
 * the same cells at once included.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class UsageRollupTest {
  private static final Instant TEN = Instant.parse("2026-04-21T10:00:00Z");
  /** Long enough for rows recorded at once to share one transaction. */
  private static final Duration LINGER = Duration.ofMillis(300);

  @Parameter TestDatabase store;
  @TempDir Path tmp;
  private String url;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Database db;

  @BeforeEach
  void setUp() {
    url = store.newUrl(tmp);
    db = track(Database.open(url));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  @Test
  void record_sumsEachRowIntoItsHourCell() {
    JdbcUsageLedger ledger = track(new JdbcUsageLedger(db.dataSource()));
    ledger.record(row("a", TEN, 250, 1.5, 200, null));
    ledger.record(row("b", TEN.plusMillis(3_599_999), 251, 0.25, 200, null));
    ledger.record(row("c", TEN.plusSeconds(3600), 700_000, 0, 504, "upstream_timeout"));
    ledger.record(new LedgerEntry(TEN, "d", "key_a", "gpt-image-2", null, null, "edits", null, null, 1, 0, 0, 0, 0, 0,
        400, "invalid_value", 3, "someone", "a prompt"));

    Map<String, RollupTables.Cell> cells = RollupTables.rollup(db.dataSource());
    long hour = TEN.toEpochMilli() / 3_600_000;
    RollupTables.Cell ok = cells.get(hour + "|key_a|gpt-image-2|openai|200|");
    // requests, images, text in, image in, image out, latency sum, then le_250ms .. le_600s
    assertThat(ok.counts()).containsExactly(2L, 4L, 20L, 40L, 60L, 501L, 1L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L);
    assertThat(ok.costUsd()).isCloseTo(1.75, within(1e-12));
    RollupTables.Cell slow = cells.get((hour + 1) + "|key_a|gpt-image-2|openai|504|upstream_timeout");
    assertThat(slow.requests()).isEqualTo(1);
    assertThat(slow.buckets()).containsOnly(0L); // over 600 s: only the +Inf bucket (requests) holds it
    assertThat(cells.get(hour + "|key_a|gpt-image-2||400|invalid_value").requests()).isEqualTo(1); // no provider: ''
    assertThat(cells).hasSize(3);
    // the day's cell and the hours' outcome cells hold the same rows
    assertThat(RollupTables.daily(db.dataSource())).containsOnlyKeys(hour / 24 + "|key_a|gpt-image-2");
    assertThat(RollupTables.daily(db.dataSource()).get(hour / 24 + "|key_a|gpt-image-2").requests()).isEqualTo(4);
    assertThat(RollupTables.status(db.dataSource())).containsOnlyKeys(hour + "|200|", hour + "|400|invalid_value",
        (hour + 1) + "|504|upstream_timeout");
    assertThat(RollupTables.status(db.dataSource()).get(hour + "|200|").counts()).isEqualTo(ok.counts());
    RollupTables.assertRollupIsTheLedger(db.dataSource());
    assertThat(ledger.outcomes()).containsExactly(new UsageOutcome(200, ""), new UsageOutcome(400, "invalid_value"),
        new UsageOutcome(504, "upstream_timeout"));
  }

  @Test
  void duplicateRequestId_isCountedOnce_acrossTransactionsAndInOne() throws Exception {
    JdbcUsageLedger ledger = track(new JdbcUsageLedger(db.dataSource(), LINGER, 1000));
    ledger.record(row("same", TEN, 10, 0.75, 200, null));
    ledger.record(row("same", TEN.plusSeconds(5), 10, 9.0, 200, null)); // a retry of the write: not counted
    recordAtOnce(ledger, 20, i -> row("twin", TEN, 10, 1.0, 200, null)); // one transaction, 19 duplicates in it

    assertThat(RollupTables.sum(db.dataSource(), "requests")).isEqualTo(2);
    assertThat(RollupTables.rollup(db.dataSource()).values().iterator().next().costUsd()).isCloseTo(1.75, within(1e-12));
    RollupTables.assertRollupIsTheLedger(db.dataSource());
  }

  @Test
  void batchWithoutUpdateCounts_isWrittenRowByRow_eachStoredRowCountedOnce() throws Exception {
    FaultyDataSource.Faults faults = new FaultyDataSource.Faults();
    JdbcUsageLedger ledger = track(new JdbcUsageLedger(FaultyDataSource.wrap(db.dataSource(), faults), LINGER, 1000));
    ledger.record(row("stored-before", TEN, 10, 1, 200, null));
    faults.batchSaysNoInfo = true;
    List<Future<?>> calls = recordAtOnce(ledger, 16, i -> i < 10 ? row("r" + i, TEN.plusSeconds(i), 10, 1, 200, null)
        : i < 15 ? row("twin", TEN, 10, 1, 429, "rate_limit_exceeded") : row("stored-before", TEN, 10, 1, 200, null));
    for (Future<?> f : calls) f.get();

    assertThat(ledger.entries(UsageQuery.all())).hasSize(12);
    assertThat(RollupTables.sum(db.dataSource(), "requests")).isEqualTo(12);
    RollupTables.assertRollupIsTheLedger(db.dataSource());
  }

  @Test
  void failedBatch_isWrittenRowByRow_theRowThatFailsIsInNeitherTable() throws Exception {
    FaultyDataSource.Faults faults = new FaultyDataSource.Faults();
    faults.poisonRequestId = "poison";
    JdbcUsageLedger ledger = track(new JdbcUsageLedger(FaultyDataSource.wrap(db.dataSource(), faults), LINGER, 1000));
    List<Future<?>> calls = recordAtOnce(ledger, 13, i -> i < 10 ? row("r" + i, TEN.plusSeconds(i), 10, 1, 200, null)
        : i == 10 ? row("poison", TEN, 10, 100, 200, null) : row("twin", TEN, 10, 1, 200, null));
    int failed = 0;
    for (Future<?> f : calls) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).hasMessageContaining("could not record usage of request poison");
        failed++;
      }
    }

    assertThat(failed).isEqualTo(1);
    assertThat(ledger.entries(UsageQuery.all())).extracting(LedgerEntry::requestId).hasSize(11).doesNotContain("poison");
    assertThat(RollupTables.sum(db.dataSource(), "requests")).isEqualTo(11);
    assertThat(ledger.spend("key_a", null, null)).isCloseTo(11, within(1e-9));
    RollupTables.assertRollupIsTheLedger(db.dataSource());
  }

  @Test
  void rollupUpsertFailure_rollsTheLedgerRowBackToo() {
    FaultyDataSource.Faults faults = new FaultyDataSource.Faults();
    faults.rollupFails = true;
    JdbcUsageLedger ledger = track(new JdbcUsageLedger(FaultyDataSource.wrap(db.dataSource(), faults)));
    assertThatThrownBy(() -> ledger.record(row("r1", TEN, 10, 1, 200, null))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rollup upsert fails");
    assertThat(ledger.entries(UsageQuery.all())).isEmpty();
    assertThat(RollupTables.rollup(db.dataSource())).isEmpty();

    faults.rollupFails = false;
    ledger.record(row("r1", TEN, 10, 1, 200, null)); // the caller's retry stores it, once
    assertThat(RollupTables.sum(db.dataSource(), "requests")).isEqualTo(1);
    RollupTables.assertRollupIsTheLedger(db.dataSource());
  }

  @Test
  void twoInstances_addingToTheSameCellsAtOnce_stayExact() throws Exception {
    JdbcUsageLedger a = track(new JdbcUsageLedger(db.dataSource(), Duration.ofMillis(2), 100));
    JdbcUsageLedger b = track(new JdbcUsageLedger(track(Database.open(url)).dataSource(), Duration.ofMillis(2), 100));
    int n = 1200;
    int shared = 200; // request ids both instances record: stored and counted once
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int id = i;
        // few cells (2 hours x 2 keys x 2 outcomes), so both instances keep adding to the same ones
        pool.submit(() -> a.record(contended("a" + id, id)));
        pool.submit(() -> b.record(contended("b" + id, id)));
        if (id < shared) {
          pool.submit(() -> a.record(contended("both" + id, id)));
          pool.submit(() -> b.record(contended("both" + id, id)));
        }
      }
    }
    assertThat(a.entries(UsageQuery.all())).hasSize(2 * n + shared);
    assertThat(RollupTables.sum(db.dataSource(), "requests")).isEqualTo(2 * n + shared);
    assertThat(RollupTables.rollup(db.dataSource())).hasSize(8);
    RollupTables.assertRollupIsTheLedger(db.dataSource());
  }

  // --- helpers

  private static LedgerEntry contended(String id, int i) {
    boolean failed = i % 7 == 0;
    return new LedgerEntry(TEN.plusSeconds(1800 + (i % 2) * 3600L), id, "key_" + (i / 2 % 2), "gpt-image-2", "dep",
        "openai", "generations", "1024x1024", "low", 1, failed ? 0 : 1, 10, 0, 30, failed ? 0 : 0.01, failed ? 502 : 200,
        failed ? "upstream_error" : null, 100 + i, null, null);
  }

  static LedgerEntry row(String id, Instant at, long latencyMs, double cost, int status, String errorCode) {
    return new LedgerEntry(at, id, "key_a", "gpt-image-2", "openai-main", "openai", "generations", "1024x1024", "low", 2,
        status < 400 ? 2 : 0, 10, 20, 30, cost, status, errorCode, latencyMs, null, null);
  }

  /** Records {@code n} rows from as many threads at once (a lingering ledger puts them in one transaction). */
  private static List<Future<?>> recordAtOnce(JdbcUsageLedger ledger, int n, java.util.function.IntFunction<LedgerEntry> rows)
      throws InterruptedException {
    List<Future<?>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        LedgerEntry e = rows.apply(i);
        calls.add(pool.submit(() -> ledger.record(e)));
      }
    }
    return calls;
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }
}
