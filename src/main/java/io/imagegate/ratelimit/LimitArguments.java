package io.imagegate.ratelimit;

import java.util.Objects;

/** The argument checks of {@link RateLimiter#acquire}, the same for every implementation. */
final class LimitArguments {
  private LimitArguments() { }

  /** @throws IllegalArgumentException as {@link RateLimiter#acquire} documents */
  static void check(String keyId, Integer rpm, Integer ipm, int images) {
    Objects.requireNonNull(keyId, "keyId");
    limit(rpm, "rpm");
    limit(ipm, "ipm");
    if (images < 0) throw new IllegalArgumentException("images must be >= 0: " + images);
  }

  private static void limit(Integer limit, String name) {
    if (limit != null && (limit < 1 || limit > Bucket.MAX_LIMIT)) {
      throw new IllegalArgumentException(name + " must be in [1, " + Bucket.MAX_LIMIT + "]: " + limit);
    }
  }
}
