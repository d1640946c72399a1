package io.imagegate.usage;

import java.util.Locale;

/** How {@code GET /admin/usage?group_by=} sums the ledger. */
public enum GroupBy {
  DAY, KEY, MODEL;

  /** {@code day}, {@code key} or {@code model} (any case). */
  public static GroupBy parse(String s) {
    if (s != null) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "day": return DAY;
        case "key": return KEY;
        case "model": return MODEL;
        default: break;
      }
    }
    throw new IllegalArgumentException("group_by must be one of day, key, model; got " + (s == null ? "nothing" : "\"" + s + "\""));
  }
}
