package io.imagegate.ratelimit;

/**
 * Per-key budgets of requests and images per minute, each a token bucket of capacity {@code limit} that
 * refills continuously at {@code limit / 60} per second. Storage-neutral: implementations may keep the
 * buckets in memory or in a shared store, as long as {@link #acquire} is atomic per key.
 */
public interface RateLimiter {

  /**
   * Atomically checks and, when allowed, takes 1 request and {@code images} images from the key's budgets.
   * {@code rpm}/{@code ipm} null = unlimited (that budget is neither checked nor reported). Nothing is taken
   * when refused, from either budget. A request with {@code images > ipm} can never pass: it is refused with
   * a {@code retryAfter} of 60 s, and the caller words the message.
   *
   * @param keyId  the API key's id (never the secret)
   * @param rpm    requests per minute, at least 1, or null
   * @param ipm    images per minute, at least 1, or null
   * @param images images this request spends, at least 0
   * @throws IllegalArgumentException for a limit below 1 or above 50,000,000,
   *                                  or negative {@code images}
   */
  Decision acquire(String keyId, Integer rpm, Integer ipm, int images);
}
