package io.imagegate.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for misspelt keys and names: the closest candidate within a small edit distance. */
final class Suggest {
  private Suggest() {}

  /** The candidate closest to {@code given}, or null when none is close enough to be a likely typo. */
  static String closest(String given, Collection<String> candidates) {
    String norm = normalize(given);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(norm, normalize(candidate));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    // one edit for tiny words, two for ordinary ones, three for long ones: beyond that it is noise
    int allowed = given.length() <= 3 ? 1 : given.length() <= 8 ? 2 : 3;
    return bestDistance <= allowed ? best : null;
  }

  /** {@code ; did you mean "x"?}, or empty when nothing is close. */
  static String hint(String given, Collection<String> candidates) {
    String best = closest(given, candidates);
    return best == null ? "" : "; did you mean \"" + best + "\"?";
  }

  // api-key, API_KEY and api_key mean the same key
  private static String normalize(String s) { return s.toLowerCase(Locale.ROOT).replace('-', '_'); }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
