package io.imagegate.idempotency;

import java.util.Map;
import java.util.Objects;

/** What {@link IdempotencyStore#begin} found for a request's Idempotency-Key. */
public sealed interface Outcome {

  /** First time for this key (or the earlier attempt was abandoned): run the request, record the answer. */
  record Proceed(Recording recording) implements Outcome {
    public Proceed { Objects.requireNonNull(recording); }
  }

  /**
   * Answered before with the same request: send {@code status}, these headers and the body's bytes as they
   * are. The body may be purged once the key expires; opening or reading it then fails with an IOException.
   */
  record Replay(int status, Map<String, String> headers, ReplayBody body) implements Outcome {
    public Replay {
      headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
      Objects.requireNonNull(body, "body");
    }
  }

  /** The key was used with a different request body: answer 409; the message is safe to show the client. */
  record Conflict(String message) implements Outcome {}

  /** The first request with this key still ran when the wait bound passed: answer 409; the message says so. */
  record StillRunning(String message) implements Outcome {}
}
