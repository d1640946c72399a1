package io.imagegate.idempotency;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A claimed Idempotency-Key whose request is running here. Copy the answer through {@link #tee}, then call
 * {@link #complete} once it was fully sent; anything else ({@link #abandon}, {@link #close} without
 * complete, the process dying) releases the key so a retry runs afresh. Thread-safe.
 */
public final class Recording implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Recording.class);

  private enum State { OPEN, COMPLETED, ABANDONED }

  private final IdempotencyStore store;
  private final String owner;
  private final String key;
  private final String token;
  private final Path temp;
  private final ScheduledFuture<?> heartbeat;
  private OutputStream file;
  private boolean broken;
  private State state = State.OPEN;

  Recording(IdempotencyStore store, String owner, String key, String token, long heartbeatMillis) {
    this.store = store;
    this.owner = owner;
    this.key = key;
    this.token = token;
    this.temp = store.files().temp(owner, key, token);
    this.heartbeat = Heartbeats.every(heartbeatMillis, this::beat);
  }

  /**
   * Wraps the response stream: every byte written to the client also goes to the body file. Closing the
   * wrapper flushes but does not close {@code out}. A failure of the copy never fails the client's answer;
   * it only makes {@link #complete} release the key instead of storing a partial body.
   */
  public synchronized OutputStream tee(OutputStream out) {
    if (state != State.OPEN) throw new IllegalStateException("the recording is " + state.name().toLowerCase());
    if (file == null && !broken) {
      try {
        file = Files.newOutputStream(temp);
      } catch (IOException e) {
        fail(e);
      }
    }
    return new Tee(out, this);
  }

  /**
   * The answer was fully sent: stores {@code status} and {@code headers} (pass only the headers a replay
   * should repeat, never a secret), keeps the body (in the database on PostgreSQL, which takes a moment for
   * a large answer: about 3 s for 200 MB) and marks the key done. When the body copy failed, or the claim
   * was lost meanwhile (taken over as stale, expired), the key is released instead and nothing is stored.
   *
   * @throws IllegalArgumentException when the headers exceed the stored size (8000 chars of JSON); the
   *     recording stays open, so {@link #close} then releases the key
   */
  public synchronized void complete(int status, Map<String, String> headers) {
    if (state != State.OPEN) throw new IllegalStateException("the recording is " + state.name().toLowerCase());
    String headersJson = HeadersJson.write(headers); // a caller's mistake: thrown before anything changes
    if (broken) {
      abandon();
      return;
    }
    heartbeat.cancel(false);
    boolean stored = false;
    try {
      if (file == null) file = Files.newOutputStream(temp);
      file.close();
      stored = store.keep(owner, key, token, temp, status, headersJson);
      if (!stored) LOG.warn("idempotency claim lost before its answer was stored; a retry will run again");
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not store the idempotent answer: {}", e.getMessage());
    } finally {
      state = stored ? State.COMPLETED : State.ABANDONED;
      if (!stored) release();
    }
  }

  /** The request failed or the client went away: releases the key and deletes the partial body. Idempotent. */
  public synchronized void abandon() {
    if (state != State.OPEN) return;
    state = State.ABANDONED;
    heartbeat.cancel(false);
    release();
  }

  /** {@link #abandon()} unless {@link #complete} was called. */
  @Override
  public void close() { abandon(); }

  synchronized void write(byte[] bytes, int off, int len) {
    if (file == null || broken || state != State.OPEN) return;
    try {
      file.write(bytes, off, len);
    } catch (IOException e) {
      fail(e);
    }
  }

  private void fail(IOException e) {
    broken = true;
    LOG.warn("could not copy the answer for idempotent replay: {}", e.getMessage());
  }

  private void release() {
    try {
      if (file != null) file.close();
    } catch (IOException ignored) {
      // The file is deleted next anyway.
    }
    try {
      store.forget(owner, key, token);
    } catch (RuntimeException e) {
      // The row stops beating and is taken over once stale; nothing waits on it forever.
      LOG.warn("could not release the idempotency key: {}", e.getMessage());
    }
  }

  private void beat() {
    try {
      if (!store.rows().heartbeat(owner, key, token, store.now())) heartbeat.cancel(false);
    } catch (RuntimeException e) {
      LOG.warn("idempotency heartbeat failed: {}", e.getMessage());
    }
  }
}
