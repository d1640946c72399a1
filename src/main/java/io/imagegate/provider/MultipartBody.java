package io.imagegate.provider;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A {@code multipart/form-data} body built in memory from text fields and file parts. */
public final class MultipartBody {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String boundary;
  private final List<byte[]> chunks = new ArrayList<>();

  public MultipartBody() {
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    boundary = "imagegate-" + HexFormat.of().formatHex(random);
  }

  public String contentType() { return "multipart/form-data; boundary=" + boundary; }

  public MultipartBody text(String name, String value) {
    chunks.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + escape(name) + "\"\r\n\r\n"
        + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public MultipartBody file(String name, String filename, String contentType, byte[] bytes) {
    chunks.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + escape(name) + "\"; filename=\""
        + escape(filename) + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    chunks.add(bytes);
    chunks.add("\r\n".getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  /** The parts, closed by the final boundary, ready for {@code Http1Client.arrays}. */
  public List<byte[]> parts() {
    List<byte[]> all = new ArrayList<>(chunks);
    all.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return all;
  }

  static String escape(String s) { return s.replace("\"", "%22").replace("\r", "").replace("\n", ""); }

  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts().forEach(out::writeBytes);
    return out.toByteArray();
  }
}
