package io.imagegate.usage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ledger rows one transaction inserted, summed in memory per cell of each rollup table (see
 * {@link Table}), then added to the tables with one upsert per cell, in the transaction that inserted them.
 *
 * <p>Implementation notes: {@code INSERT ... ON CONFLICT (...) DO UPDATE SET x = t.x + excluded.x} (SQLite
 * 3.24+, PostgreSQL 9.5+) is one atomic step per row, so instances writing the same cell at once on one
 * PostgreSQL each add their own sums: the second waits for the first's commit, then adds to its result.
 * Tables are written in one order and cells in key order, so two such transactions take their row locks in
 * the same order and never deadlock on each other. The outcomes table is only inserted into, never updated.
 */
final class RollupCells {
  static final long HOUR_MILLIS = 3_600_000L;
  static final String SUM_COLUMNS = "requests, images, text_in_tokens, image_in_tokens, image_out_tokens, cost_usd,"
      + " latency_ms_sum, " + LatencyBuckets.columnList();
  private static final String ADD_OUTCOME = "INSERT INTO usage_outcomes (status, error_code) VALUES (?, ?)"
      + " ON CONFLICT (status, error_code) DO NOTHING";

  /** The rollup tables, each with the same sums and its own key; written in this order. */
  enum Table {
    /** Per hour, key, model asked, provider, status and error code: all the detail. */
    HOURLY("usage_rollup", "hour, key_id, model_asked, provider, status, error_code"),
    /** Per UTC day, key and model asked: the whole days of a usage report. */
    DAILY("usage_rollup_daily", "day, key_id, model_asked"),
    /** Per hour, status and error code: an overview of all keys and models. */
    STATUS("usage_rollup_status", "hour, status, error_code");

    final String name;
    final String keyColumns;
    final String upsert;

    Table(String name, String keyColumns) {
      this.name = name;
      this.keyColumns = keyColumns;
      this.upsert = upsert(name, keyColumns);
    }

    /** This table's cell of a row: the parts it is not keyed by are blank. */
    Key key(LedgerEntry e, UsageOutcome outcome) {
      long hour = hourOf(e.at().toEpochMilli());
      String provider = e.provider() == null ? "" : e.provider();
      return switch (this) {
        case HOURLY -> new Key(hour, e.keyId(), e.modelAsked(), provider, outcome.status(), outcome.errorCode());
        case DAILY -> new Key(Math.floorDiv(hour, 24), e.keyId(), e.modelAsked(), "", 0, "");
        case STATUS -> new Key(hour, "", "", "", outcome.status(), outcome.errorCode());
      };
    }

    /** Binds this table's key columns from {@code k}; returns the next parameter index. */
    int bind(PreparedStatement st, Key k) throws SQLException {
      int i = 1;
      st.setLong(i++, k.time());
      if (this != STATUS) {
        st.setString(i++, k.keyId());
        st.setString(i++, k.model());
      }
      if (this == HOURLY) st.setString(i++, k.provider());
      if (this != DAILY) {
        st.setInt(i++, k.status());
        st.setString(i++, k.errorCode());
      }
      return i;
    }
  }

  /** A cell's key: its hour (or day), then the columns its table is keyed by. */
  record Key(long time, String keyId, String model, String provider, int status, String errorCode)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = Long.compare(time, o.time);
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

    void add(LedgerEntry e) {
      requests++;
      images += e.imagesReturned();
      textIn += e.textInTokens();
      imageIn += e.imageInTokens();
      imageOut += e.imageOutTokens();
      costUsd += e.costUsd();
      latencyMs += e.latencyMillis();
      LatencyBuckets.add(le, e.latencyMillis());
    }
  }

  private final Map<Table, TreeMap<Key, Sums>> cells = new EnumMap<>(Table.class);
  private final TreeSet<UsageOutcome> outcomes = new TreeSet<>();

  RollupCells() {
    for (Table t : Table.values()) cells.put(t, new TreeMap<>());
  }

  /** The rollup hour of an instant in epoch milliseconds. */
  static long hourOf(long epochMillis) { return Math.floorDiv(epochMillis, HOUR_MILLIS); }

  /** Counts one inserted ledger row in its cell of every table. */
  void add(LedgerEntry e) {
    UsageOutcome outcome = UsageOutcome.of(e);
    for (Table t : Table.values()) cells.get(t).computeIfAbsent(t.key(e, outcome), k -> new Sums()).add(e);
    outcomes.add(outcome);
  }

  /**
   * Adds the cells to the rollup tables, and the outcomes not in {@code known} to {@code usage_outcomes}, on
   * the writer's connection (in its transaction; the caller commits).
   *
   * @return the outcomes written, to be added to {@code known} once committed
   */
  Set<UsageOutcome> upsert(WriterConnection c, Set<UsageOutcome> known) throws SQLException {
    if (outcomes.isEmpty()) return Set.of();
    for (Table t : Table.values()) {
      PreparedStatement st = c.prepare(t.upsert);
      for (var cell : cells.get(t).entrySet()) {
        bind(st, t.bind(st, cell.getKey()), cell.getValue());
        st.addBatch();
      }
      st.executeBatch();
    }
    TreeSet<UsageOutcome> fresh = new TreeSet<>(outcomes);
    fresh.removeAll(known);
    if (!fresh.isEmpty()) {
      PreparedStatement st = c.prepare(ADD_OUTCOME);
      for (UsageOutcome o : fresh) {
        st.setInt(1, o.status());
        st.setString(2, o.errorCode());
        st.addBatch();
      }
      st.executeBatch();
    }
    return fresh;
  }

  private static void bind(PreparedStatement st, int first, Sums s) throws SQLException {
    int i = first;
    st.setLong(i++, s.requests);
    st.setLong(i++, s.images);
    st.setLong(i++, s.textIn);
    st.setLong(i++, s.imageIn);
    st.setLong(i++, s.imageOut);
    st.setDouble(i++, s.costUsd);
    st.setLong(i++, s.latencyMs);
    for (long n : s.le) st.setLong(i++, n);
  }

  private static String upsert(String table, String keyColumns) {
    String[] sums = SUM_COLUMNS.split(", ");
    StringBuilder set = new StringBuilder();
    for (String col : sums) {
      if (!set.isEmpty()) set.append(", ");
      set.append(col).append(" = ").append(table).append('.').append(col).append(" + excluded.").append(col);
    }
    int params = keyColumns.split(", ").length + sums.length;
    return "INSERT INTO " + table + " (" + keyColumns + ", " + SUM_COLUMNS + ") VALUES (" + "?, ".repeat(params - 1)
        + "?) ON CONFLICT (" + keyColumns + ") DO UPDATE SET " + set;
  }
}
