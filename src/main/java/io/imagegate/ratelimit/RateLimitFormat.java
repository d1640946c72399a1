package io.imagegate.ratelimit;

import java.time.Duration;
import java.util.Objects;

/** OpenAI's duration format for the {@code x-ratelimit-reset-*} headers: {@code 0s}, {@code 20ms}, {@code 1.5s}, {@code 6m0s}. */
public final class RateLimitFormat {
  private RateLimitFormat() {}

  /**
   * Formats {@code d}, rounded up to whole milliseconds: zero as {@code 0s}; under 1 s as {@code Nms};
   * otherwise {@code [Hh][Mm]Ss} (minutes shown once there are hours, like Go), the seconds with at most
   * 3 decimals, trailing zeros trimmed: {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1h0m0s}.
   *
   * @throws IllegalArgumentException for a negative duration
   */
  public static String duration(Duration d) {
    Objects.requireNonNull(d, "d");
    if (d.isNegative()) throw new IllegalArgumentException("negative duration: " + d);
    long ms = d.toMillis() + (d.toNanosPart() % 1_000_000 > 0 ? 1 : 0);
    if (ms == 0) return "0s";
    if (ms < 1000) return ms + "ms";
    StringBuilder sb = new StringBuilder();
    long h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
    if (h > 0) sb.append(h).append('h');
    if (h > 0 || m > 0) sb.append(m).append('m');
    sb.append(s);
    if (frac > 0) {
      String f = String.format("%03d", frac);
      sb.append('.').append(f.replaceAll("0+$", ""));
    }
    return sb.append('s').toString();
  }
}
