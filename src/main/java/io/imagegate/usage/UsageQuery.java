package io.imagegate.usage;

import java.time.Instant;

/** A ledger filter; a {@code null} part does not filter. Time window is {@code [from, to)}; {@code model} matches the model asked. */
public record UsageQuery(Instant from, Instant to, String keyId, String model) {
  public static UsageQuery all() { return new UsageQuery(null, null, null, null); }
}
