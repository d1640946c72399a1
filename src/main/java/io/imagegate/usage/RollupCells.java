package io.imagegate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ledger rows one transaction inserted, summed per {@code usage_rollup} cell (hour, key, model asked,
 * provider, status, error code) in memory, then added to the table with one upsert per cell, in the
 * transaction that inserted them.
 *
 * <p>Implementation notes: {@code INSERT ... ON CONFLICT (...) DO UPDATE SET x = usage_rollup.x + excluded.x}
 * (SQLite 3.24+, PostgreSQL 9.5+) is one atomic step per row, so instances writing the same cell at once on
 * one PostgreSQL each add their own sums: the second waits for the first's commit, then adds to its result.
 * Cells are written in key order, so two such transactions take their row locks in the same order and never
 * deadlock on each other. The outcomes table is only inserted into, never updated.
 */
final class RollupCells {
  static final long HOUR_MILLIS = 3_600_000L;
  private static final String KEY_COLUMNS = "hour, key_id, model_asked, provider, status, error_code";
  private static final String SUM_COLUMNS = "requests, images, text_in_tokens, image_in_tokens, image_out_tokens,"
      + " cost_usd, latency_ms_sum, " + LatencyBuckets.columnList();
  private static final String UPSERT = upsert();
  private static final String ADD_OUTCOME = "INSERT INTO usage_outcomes (status, error_code) VALUES (?, ?)"
      + " ON CONFLICT (status, error_code) DO NOTHING";

  private final TreeMap<Key, Sums> cells = new TreeMap<>();
  private final TreeSet<UsageOutcome> outcomes = new TreeSet<>();

  /** A cell's key; null provider and error code are {@code ""}, as in the table. */
  private record Key(long hour, String keyId, String model, String provider, int status, String errorCode)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = Long.compare(hour, o.hour);
      if (c == 0) c = keyId.compareTo(o.keyId);
      if (c == 0) c = model.compareTo(o.model);
      if (c == 0) c = provider.compareTo(o.provider);
      if (c == 0) c = Integer.compare(status, o.status);
      if (c == 0) c = errorCode.compareTo(o.errorCode);
      return c;
    }
  }

  private static final class Sums {
    long requests, images, textIn, imageIn, imageOut, latencyMs;
    double costUsd;
    final long[] le = new long[LatencyBuckets.BOUNDS_MS.length];
  }

  /** The rollup hour of an instant in epoch milliseconds. */
  static long hourOf(long epochMillis) { return Math.floorDiv(epochMillis, HOUR_MILLIS); }

  /** Counts one inserted ledger row. */
  void add(LedgerEntry e) {
    UsageOutcome outcome = UsageOutcome.of(e);
    Key key = new Key(hourOf(e.at().toEpochMilli()), e.keyId(), e.modelAsked(), e.provider() == null ? "" : e.provider(),
        outcome.status(), outcome.errorCode());
    Sums s = cells.computeIfAbsent(key, k -> new Sums());
    s.requests++;
    s.images += e.imagesReturned();
    s.textIn += e.textInTokens();
    s.imageIn += e.imageInTokens();
    s.imageOut += e.imageOutTokens();
    s.costUsd += e.costUsd();
    s.latencyMs += e.latencyMillis();
    LatencyBuckets.add(s.le, e.latencyMillis());
    outcomes.add(outcome);
  }

  boolean isEmpty() { return cells.isEmpty(); }

  /**
   * Adds the cells to {@code usage_rollup}, and the outcomes not in {@code known} to {@code usage_outcomes},
   * on {@code c} (in its transaction; the caller commits).
   *
   * @return the outcomes written, to be added to {@code known} once committed
   */
  Set<UsageOutcome> upsert(Connection c, Set<UsageOutcome> known) throws SQLException {
    if (cells.isEmpty()) return Set.of();
    try (PreparedStatement st = c.prepareStatement(UPSERT)) {
      for (var cell : cells.entrySet()) {
        bind(st, cell.getKey(), cell.getValue());
        st.addBatch();
      }
      st.executeBatch();
    }
    TreeSet<UsageOutcome> fresh = new TreeSet<>(outcomes);
    fresh.removeAll(known);
    if (!fresh.isEmpty()) {
      try (PreparedStatement st = c.prepareStatement(ADD_OUTCOME)) {
        for (UsageOutcome o : fresh) {
          st.setInt(1, o.status());
          st.setString(2, o.errorCode());
          st.addBatch();
        }
        st.executeBatch();
      }
    }
    return fresh;
  }

  private static void bind(PreparedStatement st, Key k, Sums s) throws SQLException {
    int i = 1;
    st.setLong(i++, k.hour());
    st.setString(i++, k.keyId());
    st.setString(i++, k.model());
    st.setString(i++, k.provider());
    st.setInt(i++, k.status());
    st.setString(i++, k.errorCode());
    st.setLong(i++, s.requests);
    st.setLong(i++, s.images);
    st.setLong(i++, s.textIn);
    st.setLong(i++, s.imageIn);
    st.setLong(i++, s.imageOut);
    st.setDouble(i++, s.costUsd);
    st.setLong(i++, s.latencyMs);
    for (long n : s.le) st.setLong(i++, n);
  }

  private static String upsert() {
    String[] sums = SUM_COLUMNS.split(", ");
    StringBuilder set = new StringBuilder();
    for (String col : sums) {
      if (!set.isEmpty()) set.append(", ");
      set.append(col).append(" = usage_rollup.").append(col).append(" + excluded.").append(col);
    }
    int params = 6 + sums.length;
    return "INSERT INTO usage_rollup (" + KEY_COLUMNS + ", " + SUM_COLUMNS + ") VALUES ("
        + "?, ".repeat(params - 1) + "?) ON CONFLICT (" + KEY_COLUMNS + ") DO UPDATE SET " + set;
  }
}
