package io.imagegate.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body in HTTP/1.1 chunked transfer coding: hex size lines (extensions ignored), chunks, then a last empty
 * chunk and trailers (read and dropped). A connection that ends before the last chunk is an error.
 */
final class ChunkedBody extends BlockInputStream {
  private static final int MAX_LINE = 8 * 1024;
  private final InputStream in;
  private long left; // bytes left in the current chunk
  private boolean done;

  ChunkedBody(InputStream in) { this.in = in; }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (done) return -1;
    if (len == 0) return 0;
    if (left == 0) {
      left = nextSize();
      if (left == 0) {
        while (!line().isEmpty()) { } // trailers
        done = true;
        return -1;
      }
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) throw new EOFException("the connection closed inside a chunk of the answer");
    left -= n;
    if (left == 0 && !line().isEmpty()) throw new MalformedAnswer("a chunk of the answer did not end with CRLF");
    return n;
  }

  @Override
  public int available() throws IOException { return done ? 0 : (int) Math.min(in.available(), left); }

  private long nextSize() throws IOException {
    String line = line();
    int semicolon = line.indexOf(';');
    String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
    try {
      long size = Long.parseLong(hex, 16);
      if (size < 0) throw new NumberFormatException();
      return size;
    } catch (NumberFormatException e) {
      throw new MalformedAnswer("bad chunk size in the answer: '" + (hex.length() > 20 ? hex.substring(0, 20) : hex) + "'");
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder(16);
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) throw new EOFException("the connection closed inside the chunked answer");
      if (s.length() > MAX_LINE) throw new MalformedAnswer("a chunk line of the answer is too long");
      if (c != '\r') s.append((char) c);
    }
    return s.toString();
  }
}
