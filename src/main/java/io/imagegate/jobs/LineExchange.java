package io.imagegate.jobs;

import io.imagegate.engine.Exchange;
import java.io.OutputStream;

/**
 * The exchange a batch line is submitted through: no client, no headers (a batch line carries none, so no
 * {@code Idempotency-Key}), and never an answer of its own: the line's job answers when it runs.
 */
final class LineExchange implements Exchange {
  private final String id;
  private final String path;
  private final String baseUrl;

  LineExchange(String id, String path, String baseUrl) {
    this.id = id;
    this.path = path;
    this.baseUrl = baseUrl;
  }

  @Override
  public String requestId() { return id; }

  @Override
  public String path() { return path; }

  @Override
  public String header(String name) { return null; }

  @Override
  public String baseUrl() { return baseUrl; }

  @Override
  public Watch watch() {
    return new Watch() {
      @Override
      public boolean clientGone() { return false; }

      @Override
      public void close() {}
    };
  }

  @Override
  public void header(String name, String value) {}

  @Override
  public OutputStream open(int status, String contentType) {
    throw new IllegalStateException("a batch line is answered by its job, not at submit");
  }

  @Override
  public void abort() {}
}
