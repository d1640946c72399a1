package io.imagegate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * The usage ledger in the {@code usage_ledger} table (SQLite or PostgreSQL): one row per request.
 *
 * <p><b>Writes: group commit.</b> {@link #record} queues its entry and blocks until the row is committed.
 * One writer thread takes the first queued entry plus every other one queued by then (those that arrived
 * while the previous transaction was committing, and, with a linger, those arriving within it), inserts
 * them with one JDBC batch in one transaction, commits, then wakes each caller. Idle, a row costs one
 * commit; under load, one commit serves hundreds of rows.
 *
 * <p><b>Durability.</b> When {@code record} returns, the row is committed. On SQLite the pool runs WAL
 * with {@code synchronous=NORMAL} (see {@code Database}): a commit is written to the WAL file, i.e. into the
 * OS page cache, before it returns, so it survives the gateway process being killed ({@code kill -9}), but
 * the last transactions may be lost if the machine itself loses power (WAL is fsynced only at checkpoints).
 * Use {@code synchronous=FULL} or PostgreSQL for power-loss durability.
 *
 * <p><b>Exactly once.</b> {@code request_id} is the primary key and the insert is
 * {@code INSERT ... SELECT ... WHERE NOT EXISTS}; a request recorded twice is stored (and charged) once, and
 * a race with another gateway instance (unique violation) is recognised by looking the row up.
 *
 * <p><b>The rollups.</b> The transaction that inserts a batch also adds the rows it inserted (update count
 * 1; a duplicate's is 0) to the rollup tables of V6 and V8, summed per cell in memory first
 * ({@link RollupCells}); the row-by-row fallback does the same per row. So each rollup holds each stored row
 * once, whatever failed or raced. {@link #totals} and {@link #spend} read the rollups for the whole days and hours of their window and
 * the ledger for the ragged ends ({@link RollupTotals}); {@link #overview} reads a rollup alone;
 * {@link #requests} pages the ledger.
 *
 * <p><b>Write lag.</b> {@link #observeWrites} hears how long each committed row waited from {@code record()}
 * to its commit; {@link #queued()} is the queue's depth now.
 */
public final class JdbcUsageLedger implements AutoCloseable {
  private static final Pending STOP = new Pending(null);

  private final DataSource db;
  private final long lingerNanos;
  private final int maxBatch;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
  private final Thread writer;
  private boolean closed; // guarded by closing
  /** Outcomes committed to {@code usage_outcomes} by this writer (they are never removed): not written again. */
  private final Set<UsageOutcome> knownOutcomes = new HashSet<>(); // writer thread only
  private final WriterConnection held; // writer thread only
  private volatile LongConsumer writeObserver = nanos -> { };

  private static final class Pending {
    final LedgerEntry entry;
    final long queuedAt = System.nanoTime();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Pending(LedgerEntry entry) { this.entry = entry; }
  }

  /** Group commit with no added wait and at most 1,000 rows per transaction. */
  public JdbcUsageLedger(DataSource db) { this(db, Duration.ZERO, 1000); }

  /**
   * @param linger how long the writer waits, after taking an entry, for more to join its transaction
   *     (0: only those already queued; batches still form under load, since entries queue during each commit)
   * @param maxBatch most rows per transaction
   */
  public JdbcUsageLedger(DataSource db, Duration linger, int maxBatch) {
    this.db = Objects.requireNonNull(db, "db");
    if (linger.isNegative()) throw new IllegalArgumentException("linger must not be negative");
    if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1");
    this.lingerNanos = linger.toNanos();
    this.maxBatch = maxBatch;
    this.held = new WriterConnection(db);
    this.writer = Thread.ofPlatform().name("usage-ledger-writer").daemon(true).start(this::writeLoop);
  }

  /**
   * Stores one row and blocks until it is committed (durable, see the class notes); a row with this
   * request id already there is left as it is. Throws {@link IllegalStateException} if the write failed or
   * the ledger is closed. Not interruptible: the row is on its way either way.
   */
  public void record(LedgerEntry entry) {
    Objects.requireNonNull(entry, "entry");
    Pending p = new Pending(entry);
    closing.readLock().lock();
    try {
      if (closed) throw new IllegalStateException("the usage ledger is closed");
      queue.add(p);
    } finally {
      closing.readLock().unlock();
    }
    try {
      p.done.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException("could not record usage of request " + entry.requestId() + ": "
          + (cause == null ? e.getMessage() : cause.getMessage()), cause);
    }
  }

  /** Entries waiting for the writer now (the queue's depth). */
  public int queued() { return queue.size(); }

  /**
   * Hears, for each row committed (or found already there), the nanoseconds from its {@code record()} call to
   * the commit; called on the writer thread, so it must be quick. Replaces the previous observer.
   */
  public void observeWrites(LongConsumer nanosQueuedToCommitted) {
    this.writeObserver = Objects.requireNonNull(nanosQueuedToCommitted, "nanosQueuedToCommitted");
  }

  /** Rows matching the filter, oldest first. */
  public List<LedgerEntry> entries(UsageQuery q) {
    List<Object> args = new ArrayList<>();
    String sql = "SELECT " + LedgerRows.COLUMNS + " FROM usage_ledger" + LedgerRows.where(q, args)
        + " ORDER BY created_at, request_id";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      LedgerRows.bindAll(st, args);
      try (ResultSet rs = st.executeQuery()) {
        List<LedgerEntry> out = new ArrayList<>();
        while (rs.next()) out.add(LedgerRows.read(rs));
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the usage ledger: " + e.getMessage(), e);
    }
  }

  /**
   * Sums per UTC day, key or model asked, ordered by group: from the rollups for the whole days and hours in
   * the window and the ledger for its ragged ends, equal to summing the ledger rows themselves (see
   * {@link RollupTotals}).
   */
  public List<UsageTotal> totals(UsageQuery q, GroupBy groupBy) {
    Objects.requireNonNull(groupBy, "groupBy");
    return RollupTotals.totals(db, q == null ? UsageQuery.all() : q, groupBy);
  }

  /** What a key spent in {@code [from, to)}, USD; a {@code null} bound is open. */
  public double spend(String keyId, Instant from, Instant to) {
    Objects.requireNonNull(keyId, "keyId");
    List<UsageTotal> t = RollupTotals.totals(db, new UsageQuery(from, to, keyId, null), GroupBy.KEY);
    return t.isEmpty() ? 0 : t.getFirst().costUsd();
  }

  /** The window's totals, failed outcomes, latency percentiles and series as of {@code now}, from the rollup. */
  public UsageOverview overview(OverviewWindow window, Instant now) {
    return OverviewQuery.overview(db, Objects.requireNonNull(window, "window"), Objects.requireNonNull(now, "now"));
  }

  /**
   * Up to {@code limit} rows matching the filter, newest first, after {@code after} (null: from the newest);
   * without the user and prompt.
   */
  public RequestPage requests(RequestFilter filter, RequestCursor after, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
    return RecentRequests.page(db, Objects.requireNonNull(filter, "filter"), after, limit);
  }

  /** The row of one request, if it was recorded. */
  public java.util.Optional<LedgerEntry> entry(String requestId) {
    Objects.requireNonNull(requestId, "requestId");
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT " + LedgerRows.COLUMNS + " FROM usage_ledger WHERE request_id = ?")) {
      st.setString(1, requestId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? java.util.Optional.of(LedgerRows.read(rs)) : java.util.Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the usage ledger: " + e.getMessage(), e);
    }
  }

  /** Every outcome (status, error code) the ledger holds a row of, and perhaps a few more; in order. */
  public List<UsageOutcome> outcomes() {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT status, error_code FROM usage_outcomes ORDER BY status, error_code"); ResultSet rs = st.executeQuery()) {
      List<UsageOutcome> out = new ArrayList<>();
      while (rs.next()) out.add(new UsageOutcome(rs.getInt(1), rs.getString(2)));
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the usage outcomes: " + e.getMessage(), e);
    }
  }

  /** Refuses new entries, writes every one already queued, then stops the writer. */
  @Override
  public void close() {
    closing.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      queue.add(STOP); // nothing is queued after it: record() checks closed under the read lock
    } finally {
      closing.writeLock().unlock();
    }
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(next());
        if (lingerNanos > 0) {
          long deadline = System.nanoTime() + lingerNanos;
          while (batch.size() < maxBatch && batch.getLast() != STOP) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) break;
            batch.add(next);
          }
        }
        if (batch.getLast() != STOP) queue.drainTo(batch, maxBatch - batch.size());
      } catch (InterruptedException e) {
        // Nobody but close() should stop us, and it does so with STOP; keep going.
      }
      if (!batch.isEmpty() && batch.getLast() == STOP) {
        batch.removeLast();
        stop = true;
      }
      if (!batch.isEmpty()) {
        try {
          write(batch);
        } catch (Throwable t) { // never leave a caller waiting
          for (Pending p : batch) p.done.completeExceptionally(t);
        }
      }
      batch.clear();
      if (held.heldTooLong()) held.close();
    }
    held.close();
  }

  /** The next entry, giving the held connection back to the pool first when none comes within a second. */
  private Pending next() throws InterruptedException {
    Pending p = queue.poll(1, TimeUnit.SECONDS);
    if (p != null) return p;
    held.close();
    return queue.take();
  }

  private void write(List<Pending> batch) {
    Connection c;
    try {
      c = held.get();
    } catch (SQLException e) {
      for (Pending p : batch) p.done.completeExceptionally(e);
      return;
    }
    try {
      if (writeBatch(c, batch)) return;
    } catch (SQLException e) {
      rollback(c); // the row-by-row pass below reports what matters
    }
    // One row spoiled the batch, another instance raced us on a request id, or the driver did not say which
    // rows it inserted: write them one by one; then a fresh connection, in case this one is what failed.
    for (Pending p : batch) writeOne(c, p);
    held.close();
  }

  /**
   * Inserts the batch and adds the rows inserted to the rollup, in one transaction. Returns false, rolled
   * back, when an update count is neither 1 (inserted) nor 0 (a duplicate), e.g. a driver's "no info".
   */
  private boolean writeBatch(Connection c, List<Pending> batch) throws SQLException {
    int[] counts;
    PreparedStatement st = held.prepare(LedgerRows.INSERT);
    for (Pending p : batch) {
      LedgerRows.bind(st, p.entry);
      st.addBatch();
    }
    counts = st.executeBatch();
    RollupCells cells = new RollupCells();
    for (int i = 0; i < batch.size(); i++) {
      int n = i < counts.length ? counts[i] : -1;
      if (n == 1) cells.add(batch.get(i).entry);
      else if (n != 0) {
        rollback(c);
        return false;
      }
    }
    Set<UsageOutcome> written = cells.upsert(held, knownOutcomes);
    c.commit();
    knownOutcomes.addAll(written);
    committed(batch);
    return true;
  }

  /** One row in its own transaction: the insert, and its rollup cell if it went in. */
  private void writeOne(Connection c, Pending p) {
    SQLException failure;
    try {
      PreparedStatement st = held.prepare(LedgerRows.INSERT);
      LedgerRows.bind(st, p.entry);
      int inserted = st.executeUpdate();
      RollupCells cell = new RollupCells();
      if (inserted == 1) cell.add(p.entry);
      Set<UsageOutcome> written = cell.upsert(held, knownOutcomes);
      c.commit();
      knownOutcomes.addAll(written);
      committed(List.of(p));
      return;
    } catch (SQLException e) {
      failure = e;
      rollback(c);
    }
    // Databases report a unique violation differently; a row there means it was recorded already.
    if (LedgerRows.exists(c, p.entry.requestId())) committed(List.of(p));
    else p.done.completeExceptionally(failure);
  }

  private void committed(List<Pending> rows) {
    long now = System.nanoTime();
    LongConsumer observer = writeObserver;
    for (Pending p : rows) {
      try {
        observer.accept(now - p.queuedAt);
      } catch (RuntimeException e) {
        // a meter's failure must not fail the write, which is committed
      }
      p.done.complete(null);
    }
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken: what follows on it fails and says so
    }
  }
}
