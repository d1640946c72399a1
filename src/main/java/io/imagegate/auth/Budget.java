package io.imagegate.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * How much a key may spend, in USD, per period. Stored and shown here; spending is counted elsewhere.
 *
 * @param usd the amount, finite and not negative
 */
public record Budget(double usd, Period period) {
  public Budget {
    if (!Double.isFinite(usd) || usd < 0) throw new IllegalArgumentException("budget usd must be >= 0: " + usd);
    if (period == null) throw new IllegalArgumentException("budget period missing");
  }

  /** Over what span the budget applies: once for the key's life, per UTC day or per UTC month. */
  public enum Period {
    TOTAL, DAILY, MONTHLY;

    /** The lower-case name used in JSON and in the store. */
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<Period> parse(String text) {
      for (Period p : values()) {
        if (p.wire().equals(text)) return Optional.of(p);
      }
      return Optional.empty();
    }
  }
}
