package io.imagegate.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** A body of a known length: reads stop at it, and a connection that ends sooner is an error, not an end. */
final class LimitedBody extends BlockInputStream {
  private final InputStream in;
  private long left;

  LimitedBody(InputStream in, long length) {
    this.in = in;
    this.left = length;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (left == 0) return -1;
    if (len == 0) return 0;
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) throw new EOFException("the connection closed " + left + " bytes before the end of the answer");
    left -= n;
    return n;
  }

  @Override
  public int available() throws IOException { return (int) Math.min(in.available(), left); }
}
