package io.imagegate.usage;

/**
 * The windows of {@code GET /admin/overview}: the last 24, 168 or 720 hours, the current one included, summed
 * from the rollup; the series in hourly buckets for 24h, in UTC-day buckets for 7d and 30d.
 */
public enum OverviewWindow {
  DAY("24h", 24, false), WEEK("7d", 7 * 24, true), MONTH("30d", 30 * 24, true);

  private final String wire;
  private final int hours;
  private final boolean daily;

  OverviewWindow(String wire, int hours, boolean daily) {
    this.wire = wire;
    this.hours = hours;
    this.daily = daily;
  }

  /** {@code 24h}, {@code 7d} or {@code 30d}. */
  public String wire() { return wire; }

  /** How many hours it sums, the current one included. */
  public int hours() { return hours; }

  /** Whether its series is in UTC days (else in hours). */
  public boolean daily() { return daily; }

  /** {@code 24h}, {@code 7d} or {@code 30d}, exactly. */
  public static OverviewWindow parse(String s) {
    for (OverviewWindow w : values()) if (w.wire.equals(s)) return w;
    throw new IllegalArgumentException("window must be one of 24h, 7d, 30d; got " + (s == null ? "nothing" : "\"" + s + "\""));
  }
}
