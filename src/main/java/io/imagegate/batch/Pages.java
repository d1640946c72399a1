package io.imagegate.batch;

import io.imagegate.api.ApiException;

/** The {@code limit} and {@code after} query parameters of the list routes, checked. */
final class Pages {
  private Pages() {}

  /** {@code limit}: a whole number from 1 to {@code max}, {@code dflt} when absent. */
  static int limit(String raw, int dflt, int max) {
    if (raw == null) return dflt;
    int n;
    try {
      n = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > max) {
      throw ApiException.invalidValue("limit", "'limit' must be a whole number from 1 to " + max + ".");
    }
    return n;
  }

  /** {@code after}: an id of the listed kind, as a page's {@code last_id} gives it. */
  static void after(String raw, String prefix) {
    if (raw != null && !raw.matches(java.util.regex.Pattern.quote(prefix) + "[0-9a-f]{1,60}")) {
      throw ApiException.invalidValue("after", "'after' must be an id (" + prefix + "...), as a page's last_id"
          + " gives it.");
    }
  }
}
