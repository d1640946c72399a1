package io.imagegate.usage;

/**
 * The fixed latency histogram of {@code usage_rollup}: cumulative buckets {@code le_250ms} … {@code le_600s}
 * (requests that took at most that long), the {@code requests} column being the +Inf bucket.
 *
 * <p>Implementation notes: {@link #quantile} interpolates linearly inside the bucket where the rank falls, as
 * Prometheus' {@code histogram_quantile} does; the first bucket starts at 0 ms, and a rank past the last finite
 * bound answers that bound (600 s), since nothing says how far past it the slowest requests went.
 */
final class LatencyBuckets {
  /** Upper bounds in milliseconds, in the order of {@link #COLUMNS}. */
  static final long[] BOUNDS_MS = {250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000,
      600_000};
  static final String[] COLUMNS = {"le_250ms", "le_500ms", "le_1s", "le_2s", "le_5s", "le_10s", "le_20s", "le_30s",
      "le_60s", "le_120s", "le_300s", "le_600s"};

  private LatencyBuckets() {}

  /** The bucket columns, comma-separated, for SQL. */
  static String columnList() { return String.join(", ", COLUMNS); }

  /** Adds one request of {@code latencyMs} to cumulative counts {@code le}. */
  static void add(long[] le, long latencyMs) {
    for (int i = BOUNDS_MS.length - 1; i >= 0 && latencyMs <= BOUNDS_MS[i]; i--) le[i]++;
  }

  /**
   * The {@code q}-quantile (0–1) in milliseconds of {@code total} requests whose cumulative bucket counts are
   * {@code le}; NaN when there are none.
   */
  static double quantile(long[] le, long total, double q) {
    if (total <= 0) return Double.NaN;
    double rank = q * total;
    long below = 0;
    for (int i = 0; i < BOUNDS_MS.length; i++) {
      if (le[i] >= rank && le[i] > below) {
        double lower = i == 0 ? 0 : BOUNDS_MS[i - 1];
        return lower + (BOUNDS_MS[i] - lower) * (rank - below) / (le[i] - below);
      }
      below = le[i];
    }
    return BOUNDS_MS[BOUNDS_MS.length - 1];
  }
}
