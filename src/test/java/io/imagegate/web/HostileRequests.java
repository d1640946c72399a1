package io.imagegate.web;

import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Raw requests, byte for byte, for {@link HostileInputsIT}: with the master key and {@code Connection: close}. */
final class HostileRequests {
  static final String GEN = "/v1/images/generations";
  static final String EDIT = "/v1/images/edits";
  static final String KEY = RunningGateway.MASTER_KEY;
  static final String B = "----hostile-boundary-41c7";
  static final String FORM = "multipart/form-data; boundary=" + B;

  private HostileRequests() {}

  /** A request with the master key, {@code Connection: close} and, with a body, its Content-Length. */
  static byte[] request(String method, String path, String headers, byte[] body) {
    String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + KEY
        + "\r\n" + headers + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
    return body == null ? ascii(head) : concat(ascii(head), body);
  }

  static byte[] post(String path, String type, byte[] body) {
    return request("POST", path, "Content-Type: " + type + "\r\n", body);
  }

  static byte[] json(String path, String body) {
    return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  /** The body in chunks of 64 KiB, with no Content-Length. */
  static byte[] chunked(String path, String type, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + KEY
        + "\r\nContent-Type: " + type + "\r\nTransfer-Encoding: chunked\r\n\r\n"));
    for (int at = 0; at < body.length; at += 65536) {
      int n = Math.min(65536, body.length - at);
      out.writeBytes(ascii(Integer.toHexString(n) + "\r\n"));
      out.write(body, at, n);
      out.writeBytes(ascii("\r\n"));
    }
    out.writeBytes(ascii("0\r\n\r\n"));
    return out.toByteArray();
  }

  static byte[] textPart(String name, byte[] value) {
    return concat(ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"), value, ascii("\r\n"));
  }

  static byte[] filePart(String name, String file, String type, byte[] data) {
    return concat(ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + file
        + "\"\r\nContent-Type: " + type + "\r\n\r\n"), data, ascii("\r\n"));
  }

  static byte[] close() { return ascii("--" + B + "--\r\n"); }

  static byte[] form(byte[]... parts) {
    byte[][] all = java.util.Arrays.copyOf(parts, parts.length + 1);
    all[parts.length] = close();
    return concat(all);
  }

  static byte[] png(int w, int h) { return TestImages.png(w, h); }

  static BufferedImage rgb(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.getGraphics().drawImage(TestImages.picture(w, h), 0, 0, null);
    return img;
  }

  static String b64(byte[] b) { return java.util.Base64.getEncoder().encodeToString(b); }

  static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
