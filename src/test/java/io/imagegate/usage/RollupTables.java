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
 * Looks into {@code usage_rollup} and sums the ledger the same way with plain SQL (GROUP BY, CASE per latency
 * bucket), so that tests can say the rollup is exactly the ledger, summed.
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

  /** The table, by {@code hour|key|model|provider|status|error_code}. */
  static Map<String, Cell> rollup(DataSource db) {
    return read(db, "SELECT " + KEY + ", " + COUNTS + ", cost_usd FROM usage_rollup");
  }

  /** The ledger grouped by rollup cell, as the rollup should hold it. */
  static Map<String, Cell> regrouped(DataSource db) {
    StringBuilder buckets = new StringBuilder();
    for (long bound : LatencyBuckets.BOUNDS_MS) {
      buckets.append(", SUM(CASE WHEN latency_ms <= ").append(bound).append(" THEN 1 ELSE 0 END)");
    }
    String key = "created_at / 3600000, key_id, model_asked, COALESCE(provider, ''), status, COALESCE(error_code, '')";
    return read(db, "SELECT " + key + ", COUNT(*), SUM(images_returned), SUM(text_in_tokens), SUM(image_in_tokens),"
        + " SUM(image_out_tokens), SUM(latency_ms)" + buckets + ", SUM(cost_usd) FROM usage_ledger GROUP BY " + key);
  }

  /** Asserts the rollup holds the ledger exactly: the same cells, counts equal, costs equal but for rounding. */
  static void assertRollupIsTheLedger(DataSource db) {
    Map<String, Cell> expected = regrouped(db);
    Map<String, Cell> actual = rollup(db);
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

  private static Map<String, Cell> read(DataSource db, String sql) {
    Map<String, Cell> out = new TreeMap<>();
    int counts = COUNTS.split(", ").length;
    try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String key = rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
            + rs.getInt(5) + "|" + rs.getString(6);
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < counts; i++) values.add(rs.getLong(7 + i));
        out.put(key, new Cell(values, rs.getDouble(7 + counts)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
