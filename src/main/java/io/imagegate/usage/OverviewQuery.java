package io.imagegate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@link UsageOverview} from {@code usage_rollup_status} alone: one row per hour and outcome (a few thousand for
 * 30 days), added up here into the buckets, the failed outcomes and the latency histogram.
 */
final class OverviewQuery {
  private static final String SQL = "SELECT hour, status, error_code, requests, images, cost_usd, "
      + LatencyBuckets.columnList() + " FROM usage_rollup_status WHERE hour >= ? AND hour <= ?";

  private OverviewQuery() {}

  static UsageOverview overview(DataSource db, OverviewWindow window, Instant now) {
    long lastHour = RollupCells.hourOf(now.toEpochMilli());
    long firstHour = lastHour - window.hours() + 1;
    long bucketHours = window.daily() ? 24 : 1;
    long firstBucket = Math.floorDiv(firstHour, bucketHours);
    int buckets = (int) (Math.floorDiv(lastHour, bucketHours) - firstBucket + 1);
    long[] requests = new long[buckets];
    long[] errors = new long[buckets];
    long[] images = new long[buckets];
    double[] cost = new double[buckets];
    long[] le = new long[LatencyBuckets.BOUNDS_MS.length];
    Map<UsageOutcome, Long> failed = new HashMap<>();
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(SQL)) {
      st.setLong(1, firstHour);
      st.setLong(2, lastHour);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          int b = (int) (Math.floorDiv(rs.getLong(1), bucketHours) - firstBucket);
          int status = rs.getInt(2);
          long n = rs.getLong(4);
          requests[b] += n;
          images[b] += rs.getLong(5);
          cost[b] += rs.getDouble(6);
          for (int i = 0; i < le.length; i++) le[i] += rs.getLong(7 + i);
          if (status >= 400) {
            errors[b] += n;
            failed.merge(new UsageOutcome(status, rs.getString(3)), n, Long::sum);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the usage rollup: " + e.getMessage(), e);
    }
    List<UsageOverview.Bucket> series = new ArrayList<>(buckets);
    long totalRequests = 0, totalErrors = 0, totalImages = 0;
    double totalCost = 0;
    for (int b = 0; b < buckets; b++) {
      Instant start = Instant.ofEpochMilli((firstBucket + b) * bucketHours * RollupCells.HOUR_MILLIS);
      series.add(new UsageOverview.Bucket(start, requests[b], errors[b], images[b], cost[b]));
      totalRequests += requests[b];
      totalErrors += errors[b];
      totalImages += images[b];
      totalCost += cost[b];
    }
    List<UsageOverview.OutcomeCount> outcomes = new ArrayList<>();
    failed.forEach((o, n) -> outcomes.add(new UsageOverview.OutcomeCount(o, n)));
    outcomes.sort(Comparator.comparingLong(UsageOverview.OutcomeCount::requests).reversed()
        .thenComparing(UsageOverview.OutcomeCount::outcome));
    UsageOverview.Latency latency = totalRequests == 0 ? null : new UsageOverview.Latency(
        LatencyBuckets.quantile(le, totalRequests, 0.50), LatencyBuckets.quantile(le, totalRequests, 0.95));
    return new UsageOverview(window, Instant.ofEpochMilli(firstHour * RollupCells.HOUR_MILLIS),
        Instant.ofEpochMilli((lastHour + 1) * RollupCells.HOUR_MILLIS), totalRequests, totalErrors, totalImages,
        totalCost, latency, outcomes, series);
  }
}
