package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Looks into the rollup tables and sums the ledger the same ways with plain SQL (GROUP BY, CASE per latency
 * bucket), so that tests can say each rollup is exactly the ledger, summed.
 */
final class RollupTables {
  private static final String KEY = "hour, key_id, model_asked, provider, status, error_code";
  private static final String COUNTS = "requests, images, text_in_tokens, image_in_tokens, image_out_tokens, latency_ms_sum, "
      + String.join(", ", LatencyBuckets.COLUMNS);

  private RollupTables() {}

  /** One cell: its counts in {@link #COUNTS} order, and its cost. */
  record Cell(List<Long> counts, double costUsd) {
    long requests() { return counts.getFirst(); }

    /** The cumulative latency buckets. */
    List<Long> buckets() { return counts.subList(6, counts.size()); }
  }

  /** {@code usage_rollup}, by {@code hour|key|model|provider|status|error_code}. */
  static Map<String, Cell> rollup(DataSource db) {
    return read(db, "SELECT " + KEY + ", " + COUNTS + ", cost_usd FROM usage_rollup");
  }

  /** {@code usage_rollup_daily}, by {@code day|key|model}. */
  static Map<String, Cell> daily(DataSource db) {
    return read(db, "SELECT day, key_id, model_asked, " + COUNTS + ", cost_usd FROM usage_rollup_daily");
  }

  /** {@code usage_rollup_status}, by {@code hour|status|error_code}. */
  static Map<String, Cell> status(DataSource db) {
    return read(db, "SELECT hour, CAST(status AS VARCHAR(8)), error_code, " + COUNTS + ", cost_usd FROM usage_rollup_status");
  }

  /** The ledger summed per {@code key} (SQL expressions over its columns), as a rollup should hold it. */
  static Map<String, Cell> regrouped(DataSource db, String key) {
    StringBuilder buckets = new StringBuilder();
    for (long bound : LatencyBuckets.BOUNDS_MS) {
      buckets.append(", SUM(CASE WHEN latency_ms <= ").append(bound).append(" THEN 1 ELSE 0 END)");
    }
    return read(db, "SELECT " + key + ", COUNT(*), SUM(images_returned), SUM(text_in_tokens), SUM(image_in_tokens),"
        + " SUM(image_out_tokens), SUM(latency_ms)" + buckets + ", SUM(cost_usd) FROM usage_ledger GROUP BY " + key);
  }

  /** Asserts every rollup holds the ledger exactly: the same cells, counts equal, costs equal but for rounding. */
  static void assertRollupIsTheLedger(DataSource db) {
    assertSame(rollup(db), regrouped(db, "created_at / 3600000, key_id, model_asked, COALESCE(provider, ''), status,"
        + " COALESCE(error_code, '')"));
    assertSame(daily(db), regrouped(db, "created_at / 86400000, key_id, model_asked"));
    assertSame(status(db), regrouped(db, "created_at / 3600000, CAST(status AS VARCHAR(8)), COALESCE(error_code, '')"));
  }

  private static void assertSame(Map<String, Cell> actual, Map<String, Cell> expected) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach((k, cell) -> {
      assertThat(actual.get(k).counts()).as(k).isEqualTo(cell.counts());
      assertThat(actual.get(k).costUsd()).as(k).isCloseTo(cell.costUsd(), within(1e-9));
    });
  }

  /** The total of one column of the rollup. */
  static long sum(DataSource db, String column) {
    return rollup(db).values().stream().mapToLong(c -> c.counts().get(List.of(COUNTS.split(", ")).indexOf(column))).sum();
  }

  /** Rows of key columns, then {@link #COUNTS}, then the cost; keyed by the key columns joined with {@code |}. */
  private static Map<String, Cell> read(DataSource db, String sql) {
    Map<String, Cell> out = new TreeMap<>();
    int counts = COUNTS.split(", ").length;
    try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int keys = rs.getMetaData().getColumnCount() - counts - 1;
      while (rs.next()) {
        StringBuilder key = new StringBuilder();
        for (int i = 1; i <= keys; i++) key.append(i == 1 ? "" : "|").append(rs.getString(i));
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < counts; i++) values.add(rs.getLong(keys + 1 + i));
        out.put(key.toString(), new Cell(values, rs.getDouble(keys + 1 + counts)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
