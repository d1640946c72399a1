package io.imagegate.web;

import io.imagegate.api.ApiException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body stream that refuses to be read past the configured limit, for bodies sent without a
 * {@code Content-Length} (chunked) as well as with one.
 */
final class BodyLimit extends FilterInputStream {
  private final long limit;
  private long read;

  BodyLimit(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  static ApiException tooLarge(long limit) {
    return new ApiException(413, "invalid_request_error", null, "request_too_large", "The request body is larger"
        + " than this gateway accepts (" + (limit / (1024 * 1024)) + " MB). Send smaller or fewer images,"
        + " or URLs instead of base64.");
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) count(1);
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) count(n);
    return n;
  }

  private void count(int n) {
    read += n;
    if (read > limit) throw tooLarge(limit);
  }
}
