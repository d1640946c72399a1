package io.imagegate.ratelimit;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of {@link RateLimiter#acquire}. {@code requests}/{@code images} are null for an unlimited
 * budget; {@code retryAfter} is null exactly when allowed, and otherwise positive.
 */
public record Decision(boolean allowed, Window requests, Window images, Duration retryAfter) {

  /** @throws IllegalArgumentException when {@code retryAfter} is set on an allowed decision, or missing */
  public Decision {
    if (allowed != (retryAfter == null) || (retryAfter != null && (retryAfter.isNegative() || retryAfter.isZero()))) {
      throw new IllegalArgumentException("allowed=" + allowed + " with retryAfter=" + retryAfter);
    }
  }

  /**
   * The headers for the answer, in a stable order: {@code x-ratelimit-limit-*}, {@code -remaining-*} and
   * {@code -reset-*} for {@code requests} then {@code images} (only for the limits that exist), and, when
   * refused, {@code Retry-After} in whole seconds, rounded up, at least 1. Unmodifiable.
   */
  public Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    put(h, "requests", requests);
    put(h, "images", images);
    if (retryAfter != null) {
      long secs = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
      h.put("Retry-After", Long.toString(Math.max(1, secs)));
    }
    return Collections.unmodifiableMap(h);
  }

  private static void put(Map<String, String> h, String kind, Window w) {
    if (w == null) return;
    h.put("x-ratelimit-limit-" + kind, Integer.toString(w.limit()));
    h.put("x-ratelimit-remaining-" + kind, Integer.toString(w.remaining()));
    h.put("x-ratelimit-reset-" + kind, RateLimitFormat.duration(w.reset()));
  }
}
