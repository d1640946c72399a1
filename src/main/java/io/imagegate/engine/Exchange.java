package io.imagegate.engine;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One HTTP exchange as the engine sees it. The web layer reads the request and carries out what the engine
 * asks for here: answer headers, the status and body, and an abort when an answer breaks off midway.
 */
public interface Exchange {

  /** The request's id, as the answer's {@code x-request-id} gives it. */
  String requestId();

  /** The request's path ({@code /v1/images/edits}). */
  String path();

  /** A request header, or null. */
  String header(String name);

  /** {@code scheme://host[:port]} as the client reached the gateway, for absolute image URLs. */
  String baseUrl();

  /**
   * Starts watching for the client to hang up while the call waits on its upstream: if it does, the calling
   * thread is interrupted, which cancels the upstream call. Closed before the answer is written.
   */
  Watch watch();

  /** Sets an answer header; only before {@link #open}. */
  void header(String name, String value);

  /** Sends the status and headers (with the first flush) and gives the body's stream; close it when done. */
  OutputStream open(int status, String contentType) throws IOException;

  /**
   * Ends the connection at once, without finishing the answer: a body that broke off midway must never
   * reach the client looking complete.
   */
  void abort();

  /** What the call's list price is multiplied by in the ledger: 1, or less for a discounted batch line. */
  default double priceFactor() { return 1.0; }

  /** The call's ledger row, once written: what the access log reports of it. */
  default void recorded(io.imagegate.usage.LedgerEntry entry) {}

  /** Told once, as the call begins: the notes it fills in as it goes, for the access log. */
  default void notes(CallNotes notes) {}

  /** The request's span, which the call fills in and its upstream attempts go under; NONE when not traced. */
  default io.imagegate.trace.ServerSpan span() { return io.imagegate.trace.ServerSpan.NONE; }

  /** A watch for the client's hang-up. */
  interface Watch extends AutoCloseable {
    /** Whether the client was seen to hang up. */
    boolean clientGone();

    @Override
    void close();
  }
}
