package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

  @Test
  void add_countsARequestInEveryBucketAtOrAboveItsLatency() {
    long[] le = new long[LatencyBuckets.BOUNDS_MS.length];
    LatencyBuckets.add(le, 250);
    LatencyBuckets.add(le, 251);
    LatencyBuckets.add(le, 45_000);
    LatencyBuckets.add(le, 600_001);
    assertThat(le).containsExactly(1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3);
  }

  @Test
  void quantile_interpolatesInsideTheBucketWhereTheRankFalls() {
    long[] le = new long[LatencyBuckets.BOUNDS_MS.length];
    for (int i = 0; i < 100; i++) LatencyBuckets.add(le, 300); // all in (250, 500]
    assertThat(LatencyBuckets.quantile(le, 100, 0.5)).isCloseTo(375, within(1e-9));
    assertThat(LatencyBuckets.quantile(le, 100, 0.95)).isCloseTo(487.5, within(1e-9));

    long[] spread = new long[LatencyBuckets.BOUNDS_MS.length];
    for (int i = 0; i < 50; i++) LatencyBuckets.add(spread, 100); // (0, 250]
    for (int i = 0; i < 40; i++) LatencyBuckets.add(spread, 15_000); // (10 s, 20 s]
    for (int i = 0; i < 10; i++) LatencyBuckets.add(spread, 100_000); // (60 s, 120 s]
    assertThat(LatencyBuckets.quantile(spread, 100, 0.5)).isCloseTo(250, within(1e-9)); // the 50th is the last fast one
    assertThat(LatencyBuckets.quantile(spread, 100, 0.9)).isCloseTo(20_000, within(1e-9));
    assertThat(LatencyBuckets.quantile(spread, 100, 0.95)).isCloseTo(90_000, within(1e-9));
  }

  @Test
  void quantile_pastTheLastBound_isThatBound_andOfNothing_isNaN() {
    long[] le = new long[LatencyBuckets.BOUNDS_MS.length];
    LatencyBuckets.add(le, 100);
    assertThat(LatencyBuckets.quantile(le, 2, 0.95)).isEqualTo(600_000); // the other took over 600 s
    assertThat(LatencyBuckets.quantile(new long[LatencyBuckets.BOUNDS_MS.length], 0, 0.5)).isNaN();
  }

  @Test
  void columns_nameTheirBounds() {
    assertThat(LatencyBuckets.COLUMNS).hasSameSizeAs(LatencyBuckets.BOUNDS_MS);
    for (int i = 0; i < LatencyBuckets.COLUMNS.length; i++) {
      String col = LatencyBuckets.COLUMNS[i];
      long ms = col.endsWith("ms") ? Long.parseLong(col.substring(3, col.length() - 2))
          : Long.parseLong(col.substring(3, col.length() - 1)) * 1000;
      assertThat(ms).as(col).isEqualTo(LatencyBuckets.BOUNDS_MS[i]);
    }
  }
}
