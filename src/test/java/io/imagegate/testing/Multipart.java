package io.imagegate.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code multipart/form-data} body, and a builder of such bodies for client requests. */
public final class Multipart {
  /** One part: its field name, file name (null for text fields), content type (may be null) and bytes. */
  public record Part(String name, String filename, String contentType, byte[] data) {
    public String text() { return new String(data, StandardCharsets.UTF_8); }
  }

  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
  private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

  private final List<Part> parts;

  private Multipart(List<Part> parts) { this.parts = List.copyOf(parts); }

  public List<Part> all() { return parts; }

  /** Every part named {@code name}, in order. */
  public List<Part> named(String name) { return parts.stream().filter(p -> p.name().equals(name)).toList(); }

  /** The text of the only part named {@code name}, or null when there is none. */
  public String text(String name) {
    List<Part> found = named(name);
    if (found.size() > 1) throw new AssertionError("more than one part named " + name);
    return found.isEmpty() ? null : found.get(0).text();
  }

  /** Names of the text (non-file) parts, in order. */
  public List<String> textNames() { return parts.stream().filter(p -> p.filename() == null).map(Part::name).toList(); }

  /** Parses a body by the boundary of its {@code Content-Type}; fails on anything malformed. */
  public static Multipart parse(String contentType, byte[] body) {
    if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
      throw new AssertionError("not a multipart/form-data body: Content-Type " + contentType);
    }
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) throw new AssertionError("no boundary in " + contentType);
    byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    if (at < 0) throw new AssertionError("no opening boundary");
    while (true) {
      int after = at + delimiter.length;
      if (after + 2 <= body.length && body[after] == '-' && body[after + 1] == '-') break; // closing boundary
      int headStart = after + 2; // CRLF
      int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), headStart);
      if (headEnd < 0) throw new AssertionError("a part without a header end");
      String head = new String(body, headStart, headEnd - headStart, StandardCharsets.UTF_8);
      int dataStart = headEnd + 4;
      int next = indexOf(body, concat("\r\n".getBytes(StandardCharsets.US_ASCII), delimiter), dataStart);
      if (next < 0) throw new AssertionError("a part without a closing boundary");
      String name = null, filename = null, type = null;
      for (String line : head.split("\r\n")) {
        String lower = line.toLowerCase();
        if (lower.startsWith("content-disposition:")) {
          Matcher n = NAME.matcher(line);
          if (n.find()) name = n.group(1);
          Matcher f = FILENAME.matcher(line);
          if (f.find()) filename = f.group(1);
        } else if (lower.startsWith("content-type:")) {
          type = line.substring(line.indexOf(':') + 1).trim();
        }
      }
      if (name == null) throw new AssertionError("a part without a name: " + head);
      parts.add(new Part(name, filename, type, Arrays.copyOfRange(body, dataStart, next)));
      at = next + 2;
    }
    return new Multipart(parts);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** Builds a client's multipart body. */
  public static final class Builder {
    private final String boundary = "----imagegate-test-boundary-7f3a";
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    public Builder text(String name, String value) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    public Builder file(String name, String filename, String contentType, byte[] data) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
          + filename + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(data);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    public String contentType() { return "multipart/form-data; boundary=" + boundary; }

    public byte[] build() {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      all.writeBytes(out.toByteArray());
      all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      return all.toByteArray();
    }
  }
}
