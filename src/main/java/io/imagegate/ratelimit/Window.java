package io.imagegate.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One budget as the answer reports it: its per-minute {@code limit}, the units {@code remaining} now (after
 * this request's take when it was allowed), and {@code reset}, the time until the budget is full again.
 */
public record Window(int limit, int remaining, Duration reset) {

  /** @throws IllegalArgumentException for a limit below 1, remaining outside [0, limit] or negative reset */
  public Window {
    Objects.requireNonNull(reset, "reset");
    if (limit < 1 || remaining < 0 || remaining > limit || reset.isNegative()) {
      throw new IllegalArgumentException("bad window: " + limit + "/" + remaining + "/" + reset);
    }
  }
}
