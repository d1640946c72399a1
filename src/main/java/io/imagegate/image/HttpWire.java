package io.imagegate.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 answer framing for {@link HttpGet}: status line and headers, then a body delimited by
 * Content-Length, chunked coding or the end of the connection, never buffered past the byte limit.
 */
final class HttpWire {
  private static final int MAX_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 100;

  private HttpWire() {}

  /** Status code and headers, names lower-cased, first occurrence kept. */
  record Head(int status, Map<String, String> headers) {
    String header(String name) { return headers.get(name); }

    long contentLength() throws HttpGet.BadResponse {
      try {
        long length = Long.parseLong(header("content-length").trim());
        if (length >= 0) {
          return length;
        }
      } catch (NumberFormatException e) {
        // falls through to the refusal
      }
      throw new HttpGet.BadResponse("bad Content-Length");
    }
  }

  static Head readHead(InputStream in) throws IOException {
    String statusLine = readLine(in);
    // "HTTP/1.1 200 OK"; the reason phrase is optional and ignored
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
      throw new HttpGet.BadResponse("not an HTTP/1.x status line");
    }
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new HttpGet.BadResponse("bad status code");
    }
    Map<String, String> headers = new HashMap<>();
    for (int count = 0; ; count++) {
      String line = readLine(in);
      if (line.isEmpty()) {
        return new Head(status, headers);
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || count >= MAX_HEADERS) {
        throw new HttpGet.BadResponse("bad header");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      String earlier = headers.putIfAbsent(name, value);
      if (name.equals("content-length") && earlier != null && !earlier.equals(value)) {
        throw new HttpGet.BadResponse("conflicting Content-Length"); // a smuggling classic
      }
    }
  }

  static byte[] readLength(InputStream in, long length, long maxBytes) throws IOException {
    if (length > maxBytes) {
      throw new HttpGet.TooLarge(); // refused from the header, before reading a byte of body
    }
    Sink sink = new Sink(length, maxBytes);
    sink.copy(in, length);
    return sink.bytes();
  }

  static byte[] readChunked(InputStream in, long maxBytes) throws IOException {
    Sink sink = new Sink(64 * 1024, maxBytes);
    while (true) {
      String line = readLine(in);
      int semicolon = line.indexOf(';'); // chunk extensions are ignored
      String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
      long size;
      try {
        size = hex.isEmpty() || hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 0) {
        throw new HttpGet.BadResponse("bad chunk size");
      }
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers carry nothing this client uses
        }
        return sink.bytes();
      }
      sink.copy(in, size);
      if (!readLine(in).isEmpty()) {
        throw new HttpGet.BadResponse("chunk not followed by CRLF");
      }
    }
  }

  static byte[] readToEnd(InputStream in, long maxBytes) throws IOException {
    Sink sink = new Sink(64 * 1024, maxBytes);
    sink.copy(in, Long.MAX_VALUE);
    return sink.bytes();
  }

  static boolean isPrintable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** A line without its CRLF (or bare LF); ISO-8859-1 so that any byte maps to one char. */
  private static String readLine(InputStream in) throws IOException {
    byte[] buf = new byte[128];
    int len = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the middle of the answer");
      }
      if (b == '\n') {
        int end = len > 0 && buf[len - 1] == '\r' ? len - 1 : len;
        return new String(buf, 0, end, StandardCharsets.ISO_8859_1);
      }
      if (len == MAX_LINE) {
        throw new HttpGet.BadResponse("line too long");
      }
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, Math.min(MAX_LINE, buf.length * 2));
      }
      buf[len++] = (byte) b;
    }
  }

  /** A growing byte array that refuses to pass the limit. */
  private static final class Sink {
    private final long max;
    private byte[] buf;
    private int len;

    Sink(long initial, long max) {
      this.max = Math.min(max, Integer.MAX_VALUE - 8);
      this.buf = new byte[(int) Math.min(initial, this.max)];
    }

    /** Copies {@code n} bytes, or until end of stream when {@code n} is Long.MAX_VALUE. */
    void copy(InputStream in, long n) throws IOException {
      if (n != Long.MAX_VALUE && len + n > max) {
        throw new HttpGet.TooLarge(); // known size: refuse before reading it
      }
      long left = n;
      while (left > 0) {
        if (len == buf.length) {
          if (len >= max) {
            // full: one more byte would pass the limit; peek for it before calling it too large
            if (in.read() < 0 && n == Long.MAX_VALUE) {
              return;
            }
            throw new HttpGet.TooLarge();
          }
          buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max(1024L, buf.length * 2L)));
        }
        int r = in.read(buf, len, (int) Math.min(left, buf.length - len));
        if (r < 0) {
          if (n == Long.MAX_VALUE) {
            return;
          }
          throw new EOFException("connection closed before the whole body arrived");
        }
        len += r;
        left -= r;
      }
    }

    byte[] bytes() { return len == buf.length ? buf : Arrays.copyOf(buf, len); }
  }
}
