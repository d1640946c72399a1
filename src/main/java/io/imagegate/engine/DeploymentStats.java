package io.imagegate.engine;

import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * What one deployment's upstream calls came to since this process started, for the dashboard's providers
 * page: attempts, successes, failures, the latency of the last {@value #WINDOW} attempts, and the last error
 * (masked: no key-like token, at most {@value #MAX_MESSAGE} characters). Thread-safe.
 */
final class DeploymentStats {
  static final int WINDOW = 256;
  static final int MAX_MESSAGE = 300;
  private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk|key|rk|pk)-[A-Za-z0-9_\\-]{4,}");
  private static final Pattern LONG_TOKEN = Pattern.compile("[A-Za-z0-9+/_\\-]{32,}={0,2}");
  private static final Pattern CREDENTIALS = Pattern.compile(
      "(?i)(bearer\\s+|(?:api[-_]?key|token|secret|password|signature|sig)\\s*[=:]\\s*)[^\\s,;&]+");

  private final long[] latencies = new long[WINDOW];
  private long attempts;
  private long successes;
  private int next;
  private String lastError;
  private String lastLabel;
  private Instant lastErrorAt;

  /** A snapshot, latencies in milliseconds (null when no attempt was made). */
  record Snapshot(long attempts, long successes, long failures, Double p50Millis, Double p95Millis, String lastLabel,
      String lastError, Instant lastErrorAt) {}

  synchronized void success(long nanos) {
    attempts++;
    successes++;
    latency(nanos);
  }

  /** A failed attempt: its label (the status, or {@code timeout}, {@code connection}…) and its message. */
  synchronized void failure(long nanos, String label, String message, Instant at) {
    attempts++;
    latency(nanos);
    lastLabel = label;
    lastError = mask(message);
    lastErrorAt = at;
  }

  synchronized Snapshot snapshot() {
    int n = (int) Math.min(attempts, WINDOW);
    Double p50 = null, p95 = null;
    if (n > 0) {
      long[] sorted = Arrays.copyOf(latencies, n);
      Arrays.sort(sorted);
      p50 = rank(sorted, 0.50) / 1e6;
      p95 = rank(sorted, 0.95) / 1e6;
    }
    return new Snapshot(attempts, successes, attempts - successes, p50, p95, lastLabel, lastError, lastErrorAt);
  }

  private void latency(long nanos) {
    latencies[next] = Math.max(0, nanos);
    next = (next + 1) % WINDOW;
  }

  /** The nearest-rank percentile. */
  private static long rank(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** An error message fit to show: key-like and credential-looking tokens hidden, shortened. */
  static String mask(String message) {
    if (message == null) return null;
    String out = KEY_LIKE.matcher(message).replaceAll("$1-***");
    out = CREDENTIALS.matcher(out).replaceAll("$1***");
    out = LONG_TOKEN.matcher(out).replaceAll("***");
    out = out.replaceAll("\\p{Cntrl}", " ");
    return out.length() > MAX_MESSAGE ? out.substring(0, MAX_MESSAGE) + "…" : out;
  }
}
