package io.imagegate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Requests written byte for byte on a socket of their own, for what an HTTP client will not send. */
public final class RawHttp {
  private static final Pattern LENGTH = Pattern.compile("(?im)^content-length: *(\\d+)");

  private RawHttp() {}

  /** An answer: its status (0 when the server closed without one), head and body. */
  public record Answer(int status, String head, String body) {}

  public static Answer send(int port, String request) {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends the bytes and reads the answer until its Content-Length is complete or the server closes. */
  public static Answer send(int port, byte[] request) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (java.net.SocketException e) {
        // the server answered and closed before taking the whole body: its answer is still there to read
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int headEnd = -1;
      long length = -1;
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (java.net.SocketException e) {
          break; // reset after the answer: what was read is the answer
        }
        if (n < 0) break;
        all.write(buf, 0, n);
        if (headEnd < 0) {
          String text = all.toString(StandardCharsets.ISO_8859_1);
          if ((headEnd = text.indexOf("\r\n\r\n")) >= 0) {
            Matcher m = LENGTH.matcher(text.substring(0, headEnd));
            if (m.find()) length = Long.parseLong(m.group(1));
          }
        }
        if (headEnd >= 0 && length >= 0 && all.size() >= headEnd + 4 + length) break;
      }
      String text = all.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) return new Answer(0, text, "");
      String head = text.substring(0, end);
      return new Answer(Integer.parseInt(head.substring(9, 12)), head, text.substring(end + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
