package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.imagegate.store.Database;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import io.imagegate.testing.TestDatabase;

@ParameterizedClass
@EnumSource(TestDatabase.class)
class JdbcUsageLedgerTest {
  @Parameter TestDatabase store;
  private String url;
  static final Instant T0 = Instant.parse("2026-04-21T10:00:00Z");

  @TempDir Path tmp;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Database db;
  private JdbcUsageLedger ledger;

  @BeforeEach
  void setUp() {
    url = store.newUrl(tmp);
    db = database();
    ledger = track(new JdbcUsageLedger(db.dataSource()));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  @Test
  void record_thenReadBack_everyField() {
    LedgerEntry e = new LedgerEntry(Instant.ofEpochMilli(1_776_765_600_123L), "req_abc", "key_a", "gpt-image-2-latest",
        "openai-main", "openai", "edits", "1536x1024", "medium", 3, 2, 17, 1024, 3136, 0.102445, 200, null, 42_317,
        "end-user-7", "a cat");
    ledger.record(e);
    assertThat(ledger.entries(UsageQuery.all())).containsExactly(e);

    LedgerEntry failed = new LedgerEntry(T0, "req_err", "key_b", "gpt-image-1", null, null, "generations", null, null,
        1, 0, 0, 0, 0, 0, 502, "upstream_error", 9, null, null);
    ledger.record(failed);
    assertThat(ledger.entries(new UsageQuery(null, null, "key_b", null))).containsExactly(failed);
  }

  @Test
  void record_isCommittedWhenItReturns_seenByAnotherPool() throws Exception {
    ledger.record(entry("r1", "key_a", "gpt-image-2", T0, 0.25, 200));
    try (Database other = Database.open(url())) {
      assertThat(count(other, "SELECT COUNT(*) FROM usage_ledger WHERE request_id = 'r1'")).isEqualTo(1);
    }
  }

  @Test
  void failedRequest_costsNothing_butIsCounted() {
    ledger.record(entry("ok", "key_a", "gpt-image-2", T0, 0.5, 200));
    ledger.record(new LedgerEntry(T0.plusSeconds(1), "bad", "key_a", "gpt-image-2", null, null, "generations", "7x7",
        null, 1, 0, 0, 0, 0, 0, 400, "invalid_value", 3, null, null));
    assertThat(ledger.spend("key_a", null, null)).isCloseTo(0.5, within(1e-12));
    assertThat(ledger.totals(UsageQuery.all(), GroupBy.KEY))
        .containsExactly(new UsageTotal("key_a", 2, 1, 10, 20, 30, 0.5));
    assertThat(ledger.entries(UsageQuery.all())).extracting(LedgerEntry::status, LedgerEntry::costUsd, LedgerEntry::errorCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(200, 0.5, null),
            org.assertj.core.groups.Tuple.tuple(400, 0.0, "invalid_value"));
  }

  @Test
  void twoThousandConcurrentRecords_allDurable_eachOnce() throws Exception {
    int n = 2000;
    AtomicInteger failures = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int id = i;
        pool.submit(() -> {
          try {
            ledger.record(entry("req_" + id, "key_" + (id % 7), "gpt-image-2", T0.plusMillis(id), 0.001, 200));
          } catch (RuntimeException e) {
            failures.incrementAndGet();
          }
        });
      }
    }
    assertThat(failures).hasValue(0);
    // Read through a second pool on the same file: what record() promised is on disk, not in a cache.
    try (Database other = Database.open(url())) {
      assertThat(count(other, "SELECT COUNT(*) FROM usage_ledger")).isEqualTo(n);
      assertThat(count(other, "SELECT COUNT(DISTINCT request_id) FROM usage_ledger")).isEqualTo(n);
    }
    assertThat(ledger.totals(UsageQuery.all(), GroupBy.MODEL).getFirst().requests()).isEqualTo(n);
    assertThat(ledger.totals(UsageQuery.all(), GroupBy.MODEL).getFirst().costUsd()).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void duplicateRequestId_isRecordedAndChargedOnce() throws Exception {
    ledger.record(entry("same", "key_a", "gpt-image-2", T0, 0.75, 200));
    ledger.record(entry("same", "key_a", "gpt-image-2", T0.plusSeconds(5), 9.0, 200)); // a retry of the write
    // and twice at once, so both land in one batch
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 20; i++) pool.submit(() -> ledger.record(entry("twin", "key_a", "gpt-image-2", T0, 1.0, 200)));
    }
    assertThat(ledger.entries(UsageQuery.all())).extracting(LedgerEntry::requestId).containsExactly("same", "twin");
    assertThat(ledger.spend("key_a", null, null)).isCloseTo(1.75, within(1e-12));
  }

  @Test
  void totals_byDayKeyAndModel() {
    Instant day1 = Instant.parse("2026-04-20T23:59:59.999Z");
    Instant day2 = Instant.parse("2026-04-21T00:00:00Z");
    ledger.record(new LedgerEntry(day1, "a", "key_a", "gpt-image-2", null, null, "generations", null, null, 2, 2, 10, 0, 100, 1.0, 200, null, 1, null, null));
    ledger.record(new LedgerEntry(day2, "b", "key_a", "gpt-image-1", null, null, "edits", null, null, 1, 1, 20, 300, 200, 2.0, 200, null, 1, null, null));
    ledger.record(new LedgerEntry(day2.plusSeconds(60), "c", "key_b", "gpt-image-2", null, null, "generations", null, null, 4, 3, 30, 0, 400, 4.0, 200, null, 1, null, null));
    ledger.record(new LedgerEntry(day2.plusSeconds(90), "d", "key_b", "gpt-image-2", null, null, "generations", null, null, 1, 0, 0, 0, 0, 0, 429, "rate_limit_exceeded", 1, null, null));

    assertThat(ledger.totals(UsageQuery.all(), GroupBy.DAY)).containsExactly(
        new UsageTotal("2026-04-20", 1, 2, 10, 0, 100, 1.0),
        new UsageTotal("2026-04-21", 3, 4, 50, 300, 600, 6.0));
    assertThat(ledger.totals(UsageQuery.all(), GroupBy.KEY)).containsExactly(
        new UsageTotal("key_a", 2, 3, 30, 300, 300, 3.0),
        new UsageTotal("key_b", 2, 3, 30, 0, 400, 4.0));
    assertThat(ledger.totals(UsageQuery.all(), GroupBy.MODEL)).containsExactly(
        new UsageTotal("gpt-image-1", 1, 1, 20, 300, 200, 2.0),
        new UsageTotal("gpt-image-2", 3, 5, 40, 0, 500, 5.0));
    // filters apply before grouping
    assertThat(ledger.totals(new UsageQuery(day2, null, null, "gpt-image-2"), GroupBy.KEY))
        .containsExactly(new UsageTotal("key_b", 2, 3, 30, 0, 400, 4.0));
    assertThat(ledger.totals(new UsageQuery(null, null, "nobody", null), GroupBy.DAY)).isEmpty();
  }

  @Test
  void entries_filterByWindowKeyAndModel_oldestFirst() {
    ledger.record(entry("r3", "key_a", "gpt-image-2", T0.plusSeconds(20), 1, 200));
    ledger.record(entry("r1", "key_a", "gpt-image-2", T0, 1, 200));
    ledger.record(entry("r2", "key_b", "gpt-image-1", T0.plusSeconds(10), 1, 200));
    assertThat(ids(UsageQuery.all())).containsExactly("r1", "r2", "r3");
    assertThat(ids(new UsageQuery(T0.plusSeconds(10), T0.plusSeconds(20), null, null))).containsExactly("r2");
    assertThat(ids(new UsageQuery(null, null, "key_a", null))).containsExactly("r1", "r3");
    assertThat(ids(new UsageQuery(null, null, null, "gpt-image-1"))).containsExactly("r2");
    assertThat(ids(new UsageQuery(T0, null, "key_a", "gpt-image-2"))).containsExactly("r1", "r3");
  }

  @Test
  void spend_sumsOneKeyInHalfOpenWindow() {
    ledger.record(entry("a", "key_a", "gpt-image-2", T0, 1.0, 200));
    ledger.record(entry("b", "key_a", "gpt-image-2", T0.plusSeconds(60), 2.0, 200));
    ledger.record(entry("c", "key_a", "gpt-image-2", T0.plusSeconds(120), 4.0, 200));
    ledger.record(entry("d", "key_b", "gpt-image-2", T0.plusSeconds(60), 8.0, 200));
    assertThat(ledger.spend("key_a", T0, T0.plusSeconds(120))).isCloseTo(3.0, within(1e-12)); // to is exclusive
    assertThat(ledger.spend("key_a", T0.plusSeconds(60), null)).isCloseTo(6.0, within(1e-12));
    assertThat(ledger.spend("key_a", null, null)).isCloseTo(7.0, within(1e-12));
    assertThat(ledger.spend("key_c", null, null)).isZero();
  }

  @Test
  void prompt_isStoredOnlyWhenGiven() {
    ledger.record(entry("no-prompt", "key_a", "gpt-image-2", T0, 0, 200));
    ledger.record(new LedgerEntry(T0.plusSeconds(1), "kept", "key_a", "gpt-image-2", null, null, "generations", null, null,
        1, 1, 0, 0, 0, 0, 200, null, 0, null, "a white cat"));
    assertThat(ledger.entries(UsageQuery.all())).extracting(LedgerEntry::prompt).containsExactly(null, "a white cat");
  }

  @Test
  void close_drainsEveryQueuedEntry_thenRefusesNewOnes() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch writerWaiting = new CountDownLatch(1);
    DataSource gated = gated(db.dataSource(), gate, writerWaiting);
    JdbcUsageLedger slow = new JdbcUsageLedger(gated, Duration.ZERO, 1000);
    int n = 50;
    AtomicInteger failures = new AtomicInteger();
    List<Future<?>> calls = new ArrayList<>();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    // First a lone entry, which the writer takes and then holds at the gate; then n more, which queue behind it.
    calls.add(pool.submit(() -> slow.record(entry("first", "key_a", "gpt-image-2", T0, 0.01, 200))));
    assertThat(writerWaiting.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < n; i++) {
      int id = i;
      calls.add(pool.submit(() -> {
        try {
          slow.record(entry("q" + id, "key_a", "gpt-image-2", T0.plusMillis(id), 0.01, 200));
        } catch (RuntimeException e) {
          failures.incrementAndGet();
        }
      }));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (slow.queued() < n && System.nanoTime() < deadline) Thread.sleep(1);
    assertThat(slow.queued()).isEqualTo(n);

    Thread closer = Thread.ofVirtual().start(slow::close);
    Thread.sleep(50);
    assertThat(closer.isAlive()).isTrue(); // close waits for the queue
    gate.countDown();
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    for (Future<?> f : calls) f.get(5, TimeUnit.SECONDS);
    pool.close();

    assertThat(failures).hasValue(0);
    assertThat(ledger.entries(UsageQuery.all())).hasSize(n + 1);
    assertThatThrownBy(() -> slow.record(entry("late", "key_a", "gpt-image-2", T0, 0, 200)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    slow.close(); // twice is harmless
  }

  @Test
  void observeWrites_hearsEachRowsWaitFromRecordToCommit_queuedIsTheQueueDepth() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch writerWaiting = new CountDownLatch(1);
    JdbcUsageLedger slow = track(new JdbcUsageLedger(gated(db.dataSource(), gate, writerWaiting), Duration.ZERO, 1000));
    List<Long> heard = java.util.Collections.synchronizedList(new ArrayList<>());
    slow.observeWrites(heard::add);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      pool.submit(() -> slow.record(entry("first", "key_a", "gpt-image-2", T0, 0, 200)));
      assertThat(writerWaiting.await(5, TimeUnit.SECONDS)).isTrue(); // the writer holds "first" at the gate
      for (int i = 0; i < 5; i++) {
        int id = i;
        pool.submit(() -> slow.record(entry("q" + id, "key_a", "gpt-image-2", T0, 0, 200)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (slow.queued() < 5 && System.nanoTime() < deadline) Thread.sleep(1);
      assertThat(slow.queued()).isEqualTo(5);
      Thread.sleep(200);
      gate.countDown();
    }
    assertThat(slow.queued()).isZero();
    assertThat(heard).hasSize(6).allSatisfy(nanos -> assertThat(nanos).isGreaterThanOrEqualTo(200_000_000L));
  }

  @Test
  void writeFailure_isThrownToTheCaller() {
    Database gone = database();
    JdbcUsageLedger broken = track(new JdbcUsageLedger(gone.dataSource()));
    gone.close();
    assertThatThrownBy(() -> broken.record(entry("x", "key_a", "gpt-image-2", T0, 0, 200)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not record usage of request x");
  }

  @Test
  void longClientText_isCutToTheColumn_idsMustFit() {
    LedgerEntry e = new LedgerEntry(T0, "r", "k", "m".repeat(500), null, null, "generations", "9".repeat(100), null,
        1, 0, 0, 0, 0, 0, 404, "model_not_found", 0, "u".repeat(5000), null);
    assertThat(e.modelAsked()).hasSize(200);
    assertThat(e.size()).hasSize(32);
    assertThat(e.user()).hasSize(1000);
    ledger.record(e);
    assertThat(ledger.entries(UsageQuery.all())).containsExactly(e);
    assertThatThrownBy(() -> entry("r".repeat(65), "k", "m", T0, 0, 200)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> entry("r", "k", "m", T0, -1, 200)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void groupBy_parse() {
    assertThat(GroupBy.parse("day")).isEqualTo(GroupBy.DAY);
    assertThat(GroupBy.parse("KEY")).isEqualTo(GroupBy.KEY);
    assertThat(GroupBy.parse(" model ")).isEqualTo(GroupBy.MODEL);
    assertThatThrownBy(() -> GroupBy.parse("week")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group_by must be one of day, key, model; got \"week\"");
    assertThatThrownBy(() -> GroupBy.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  // --- helpers

  static LedgerEntry entry(String requestId, String key, String model, Instant at, double cost, int status) {
    return new LedgerEntry(at, requestId, key, model, "dep", "local", "generations", "1024x1024", "low", 1, 1,
        10, 20, 30, cost, status, null, 5, null, null);
  }

  private List<String> ids(UsageQuery q) { return ledger.entries(q).stream().map(LedgerEntry::requestId).toList(); }

  private String url() { return url; }

  private Database database() { return track(Database.open(url())); }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private static long count(Database d, String sql) throws Exception {
    try (Connection c = d.dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A data source whose first getConnection waits for the gate (and says it is waiting). */
  private static DataSource gated(DataSource real, CountDownLatch gate, CountDownLatch waiting) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            waiting.countDown();
            gate.await();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
