package io.imagegate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 */
public final class JdbcUsageLedger implements AutoCloseable {
  private static final String COLUMNS = "request_id, created_at, key_id, model_asked, deployment, provider, endpoint, size,"
      + " quality, n_asked, images_returned, text_in_tokens, image_in_tokens, image_out_tokens, cost_usd, status,"
      + " error_code, latency_ms, end_user, prompt";
  // Casts type the parameters for PostgreSQL (INSERT ... SELECT has no column context); SQLite accepts them too.
  private static final String INSERT = "INSERT INTO usage_ledger (" + COLUMNS + ") SELECT"
      + " CAST(? AS VARCHAR(64)), CAST(? AS BIGINT), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(200)),"
      + " CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR(32)),"
      + " CAST(? AS VARCHAR(16)), CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT),"
      + " CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION), CAST(? AS INTEGER), CAST(? AS VARCHAR(64)), CAST(? AS BIGINT),"
      + " CAST(? AS TEXT), CAST(? AS TEXT)"
      + " WHERE NOT EXISTS (SELECT 1 FROM usage_ledger WHERE request_id = ?)";
  private static final long DAY_MILLIS = 86_400_000L;
  private static final Pending STOP = new Pending(null);

  private final DataSource db;
  private final long lingerNanos;
  private final int maxBatch;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
  private final Thread writer;
  private boolean closed; // guarded by closing

  private static final class Pending {
    final LedgerEntry entry;
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

  /** Entries waiting for the writer (tests and metrics). */
  int queued() { return queue.size(); }

  /** Rows matching the filter, oldest first. */
  public List<LedgerEntry> entries(UsageQuery q) {
    List<Object> args = new ArrayList<>();
    String sql = "SELECT " + COLUMNS + " FROM usage_ledger" + where(q, args) + " ORDER BY created_at, request_id";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      bindAll(st, args);
      try (ResultSet rs = st.executeQuery()) {
        List<LedgerEntry> out = new ArrayList<>();
        while (rs.next()) out.add(read(rs));
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the usage ledger: " + e.getMessage(), e);
    }
  }

  /** Sums per UTC day, key or model asked, ordered by group. */
  public List<UsageTotal> totals(UsageQuery q, GroupBy groupBy) {
    Objects.requireNonNull(groupBy, "groupBy");
    String group = switch (groupBy) {
      case DAY -> "created_at / " + DAY_MILLIS;
      case KEY -> "key_id";
      case MODEL -> "model_asked";
    };
    List<Object> args = new ArrayList<>();
    String sql = "SELECT " + group + " AS g, COUNT(*), COALESCE(SUM(images_returned), 0), COALESCE(SUM(text_in_tokens), 0),"
        + " COALESCE(SUM(image_in_tokens), 0), COALESCE(SUM(image_out_tokens), 0), COALESCE(SUM(cost_usd), 0)"
        + " FROM usage_ledger" + where(q, args) + " GROUP BY " + group + " ORDER BY " + group;
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      bindAll(st, args);
      try (ResultSet rs = st.executeQuery()) {
        List<UsageTotal> out = new ArrayList<>();
        while (rs.next()) {
          String g = groupBy == GroupBy.DAY ? LocalDate.ofEpochDay(rs.getLong(1)).toString() : rs.getString(1);
          out.add(new UsageTotal(g, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getDouble(7)));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not sum the usage ledger: " + e.getMessage(), e);
    }
  }

  /** What a key spent in {@code [from, to)}, USD; a {@code null} bound is open. */
  public double spend(String keyId, Instant from, Instant to) {
    Objects.requireNonNull(keyId, "keyId");
    List<Object> args = new ArrayList<>();
    String sql = "SELECT COALESCE(SUM(cost_usd), 0) FROM usage_ledger" + where(new UsageQuery(from, to, keyId, null), args);
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      bindAll(st, args);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getDouble(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the spend: " + e.getMessage(), e);
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
        batch.add(queue.take());
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
    }
  }

  private void write(List<Pending> batch) {
    try (Connection c = db.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      try {
        c.setAutoCommit(false);
        try (PreparedStatement st = c.prepareStatement(INSERT)) {
          for (Pending p : batch) {
            bind(st, p.entry);
            st.addBatch();
          }
          st.executeBatch();
          c.commit();
        }
        for (Pending p : batch) p.done.complete(null);
        return;
      } catch (SQLException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the row-by-row pass below reports what matters
        }
      } finally {
        c.setAutoCommit(autoCommit);
      }
      // One row spoiled the batch (or another instance raced us on a request id): write them one by one.
      for (Pending p : batch) writeOne(c, p);
    } catch (SQLException e) {
      for (Pending p : batch) p.done.completeExceptionally(e);
    }
  }

  private void writeOne(Connection c, Pending p) {
    try (PreparedStatement st = c.prepareStatement(INSERT)) {
      bind(st, p.entry);
      st.executeUpdate();
      p.done.complete(null);
    } catch (SQLException e) {
      // Databases report a unique violation differently; a row there means it was recorded already.
      if (exists(c, p.entry.requestId())) p.done.complete(null);
      else p.done.completeExceptionally(e);
    }
  }

  private static boolean exists(Connection c, String requestId) {
    try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM usage_ledger WHERE request_id = ?")) {
      st.setString(1, requestId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      return false;
    }
  }

  private static void bind(PreparedStatement st, LedgerEntry e) throws SQLException {
    st.setString(1, e.requestId());
    st.setLong(2, e.at().toEpochMilli());
    st.setString(3, e.keyId());
    st.setString(4, e.modelAsked());
    text(st, 5, e.deployment());
    text(st, 6, e.provider());
    st.setString(7, e.endpoint());
    text(st, 8, e.size());
    text(st, 9, e.quality());
    st.setInt(10, e.nAsked());
    st.setInt(11, e.imagesReturned());
    st.setLong(12, e.textInTokens());
    st.setLong(13, e.imageInTokens());
    st.setLong(14, e.imageOutTokens());
    st.setDouble(15, e.costUsd());
    st.setInt(16, e.status());
    text(st, 17, e.errorCode());
    st.setLong(18, e.latencyMillis());
    text(st, 19, e.user());
    text(st, 20, e.prompt());
    st.setString(21, e.requestId());
  }

  private static void text(PreparedStatement st, int i, String value) throws SQLException {
    if (value == null) st.setNull(i, Types.VARCHAR);
    else st.setString(i, value);
  }

  private static LedgerEntry read(ResultSet rs) throws SQLException {
    return new LedgerEntry(Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("request_id"), rs.getString("key_id"),
        rs.getString("model_asked"), rs.getString("deployment"), rs.getString("provider"), rs.getString("endpoint"),
        rs.getString("size"), rs.getString("quality"), rs.getInt("n_asked"), rs.getInt("images_returned"),
        rs.getLong("text_in_tokens"), rs.getLong("image_in_tokens"), rs.getLong("image_out_tokens"), rs.getDouble("cost_usd"),
        rs.getInt("status"), rs.getString("error_code"), rs.getLong("latency_ms"), rs.getString("end_user"), rs.getString("prompt"));
  }

  private static String where(UsageQuery q, List<Object> args) {
    if (q == null) return "";
    List<String> parts = new ArrayList<>();
    if (q.from() != null) { parts.add("created_at >= ?"); args.add(q.from().toEpochMilli()); }
    if (q.to() != null) { parts.add("created_at < ?"); args.add(q.to().toEpochMilli()); }
    if (q.keyId() != null) { parts.add("key_id = ?"); args.add(q.keyId()); }
    if (q.model() != null) { parts.add("model_asked = ?"); args.add(q.model()); }
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }

  private static void bindAll(PreparedStatement st, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Long l) st.setLong(i + 1, l);
      else st.setString(i + 1, (String) a);
    }
  }
}
