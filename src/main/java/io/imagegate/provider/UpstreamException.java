package io.imagegate.provider;

import java.time.Duration;

/**
 * One failed attempt at an upstream call, with what the retry policy needs to decide what comes next.
 * The message is safe to show a client: upstream secrets are already redacted from it.
 *
 * @see Kind
 */
public final class UpstreamException extends RuntimeException {
  /** What went wrong, which decides retry, fallback and the status the client finally sees. */
  public enum Kind {
    /** Worth another try: connect error, reset, 408/409/429/5xx, invalid answer. */
    RETRYABLE,
    /** The attempt ran out of time. */
    TIMEOUT,
    /** The upstream refused the gateway's own credentials (401/403): try another deployment, never retry. */
    CREDENTIALS,
    /** The upstream refused the request itself (400 moderation_blocked, other 4xx): the client's answer. */
    REFUSED,
    /** The call was given up because the client hung up (its thread was interrupted): no retry, no answer. */
    CANCELLED
  }

  private final Kind kind;
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final Duration retryAfter;
  private final Boolean shouldRetry;

  public UpstreamException(Kind kind, int status, String type, String code, String param, String message,
      Duration retryAfter, Boolean shouldRetry) {
    super(message, null, false, false);
    this.kind = kind;
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfter = retryAfter;
    this.shouldRetry = shouldRetry;
  }

  public static UpstreamException retryable(String message) {
    return new UpstreamException(Kind.RETRYABLE, 0, null, null, null, message, null, null);
  }

  public static UpstreamException cancelled() {
    return new UpstreamException(Kind.CANCELLED, 0, null, null, null, "the call was cancelled", null, null);
  }

  public static UpstreamException timeout(String message) {
    return new UpstreamException(Kind.TIMEOUT, 0, null, null, null, message, null, null);
  }

  public Kind kind() { return kind; }

  /** The upstream's HTTP status, or 0 when none was received. */
  public int status() { return status; }

  public String type() { return type; }

  public String code() { return code; }

  public String param() { return param; }

  /** The upstream's retry hint ({@code retry-after-ms} or {@code retry-after}), or null. */
  public Duration retryAfter() { return retryAfter; }

  /** The upstream's {@code x-should-retry} header, or null when absent. */
  public Boolean shouldRetry() { return shouldRetry; }

  /** A short label for the attempts header: the status, or the kind when no status came. */
  public String label() { return status > 0 ? String.valueOf(status) : kind.name().toLowerCase(java.util.Locale.ROOT); }
}
