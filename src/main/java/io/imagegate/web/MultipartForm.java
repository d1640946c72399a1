package io.imagegate.web;

import io.imagegate.api.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code multipart/form-data} body (RFC 7578) read in one pass from its stream, as clients really send it:
 * parts with or without a file name, any part content type, a chunked body or a sized one, a preamble and an
 * epilogue. Each part's content is held in memory, within a limit per part; the body's own limit is the
 * stream's ({@link BodyLimit}).
 *
 * <p>Implementation notes: the delimiter ({@code CRLF--boundary}) is found with Boyer-Moore-Horspool, which
 * skips about the delimiter's length per step over image bytes, so a 1 MB image costs a few microseconds to
 * scan. Content is copied once out of the read buffer into blocks, and once more into the part's exact array.
 */
final class MultipartForm {
  /** What one part held. */
  record Part(String name, String fileName, String contentType, byte[] content) {}

  /**
   * The limits of one body.
   *
   * @param fileFields the fields that carry files even when a part names no file (image fields): they have
   *     the file limit, every other part without a file name the text limit
   */
  record Limits(long maxFileBytes, int maxTextBytes, int maxParts, Set<String> fileFields) {}

  private static final int BUFFER = 64 * 1024;
  private static final int MAX_HEADER_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 16;
  private static final int MAX_BOUNDARY = 70;
  /** A part read straight into its own array once that has this much room. */
  private static final int DIRECT_READ = 16 * 1024;

  private final InputStream in;
  private final Limits limits;
  private final byte[] delimiter;
  private final int[] shift = new int[256];
  private final byte[] buf;
  private final long declared;
  private int pos;
  private int limit;
  private boolean eof;
  /** Bytes read from the stream so far. */
  private long consumed;

  private MultipartForm(InputStream in, long declared, String boundary, Limits limits) {
    this.in = in;
    this.declared = declared;
    this.limits = limits;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buf = new byte[Math.max(BUFFER, delimiter.length * 4)];
    Arrays.fill(shift, delimiter.length);
    for (int i = 0; i < delimiter.length - 1; i++) shift[delimiter[i] & 0xff] = delimiter.length - 1 - i;
  }

  /**
   * Reads every part of the body.
   *
   * @param contentType the request's {@code Content-Type}, which carries the boundary
   * @throws ApiException 400 for a body that is not well-formed multipart, 413 for a part over its limit
   * @throws IOException when the body cannot be read
   */
  static List<Part> read(InputStream in, String contentType, Limits limits) throws IOException {
    return read(in, -1, contentType, limits);
  }

  /**
   * Reads every part of a body whose length was declared ({@code Content-Length}, or -1): a file part's array
   * is then sized at once for the rest of the body, less its closing delimiter, which is the part's exact size
   * when it is the last one, as it usually is.
   */
  static List<Part> read(InputStream in, long declaredLength, String contentType, Limits limits) throws IOException {
    return new MultipartForm(in, declaredLength, boundary(contentType), limits).parts();
  }

  /** The {@code boundary} parameter of a multipart content type, quoted or not (RFC 2046 §5.1.1). */
  static String boundary(String contentType) {
    String value = HeaderParams.param(contentType, "boundary");
    if (value == null || value.isEmpty()) {
      throw malformed("The Content-Type multipart/form-data has no boundary parameter.");
    }
    if (value.length() > MAX_BOUNDARY) throw malformed("The multipart boundary is longer than 70 characters.");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) throw malformed("The multipart boundary holds a character outside printable ASCII.");
    }
    return value;
  }

  private List<Part> parts() throws IOException {
    skipPreamble();
    List<Part> parts = new ArrayList<>();
    while (true) {
      // after a delimiter: "--" closes the body; otherwise optional whitespace, then CRLF, then a part
      if (!fill(2)) throw truncated();
      if (buf[pos] == '-' && buf[pos + 1] == '-') {
        drainEpilogue();
        return parts;
      }
      endOfDelimiterLine();
      if (parts.size() >= limits.maxParts()) {
        throw malformed("The multipart body holds more than " + limits.maxParts() + " parts.");
      }
      parts.add(part());
    }
  }

  private Part part() throws IOException {
    String name = null;
    String fileName = null;
    String type = null;
    for (int n = 0; ; n++) {
      String line = headerLine();
      if (line.isEmpty()) break;
      if (n >= MAX_HEADERS) throw malformed("A multipart part has more than " + MAX_HEADERS + " header lines.");
      int colon = line.indexOf(':');
      if (colon <= 0) throw malformed("A multipart part has a header line without a name and a colon.");
      String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (header.equals("content-disposition")) {
        if (!value.toLowerCase(Locale.ROOT).startsWith("form-data")) {
          throw malformed("A multipart part's Content-Disposition is not form-data.");
        }
        name = HeaderParams.param(value, "name");
        fileName = HeaderParams.fileName(value);
      } else if (header.equals("content-type")) {
        type = value;
      }
    }
    if (name == null || name.isEmpty()) {
      throw malformed("A multipart part has no name: each part needs Content-Disposition: form-data; name=\"...\".");
    }
    boolean text = fileName == null && !limits.fileFields().contains(name);
    long max = text ? limits.maxTextBytes() : limits.maxFileBytes();
    return new Part(name, fileName, type, content(new PartContent(name, max, text, text ? 0 : expectedFileSize(max))));
  }

  /**
   * What a file part starting here holds if it is the body's last part (the rest of the declared body less
   * {@code CRLF--boundary--CRLF}), when that is large enough to read into at once; else 0.
   */
  private long expectedFileSize(long max) {
    if (declared < 0) return 0;
    long rest = declared - consumed + (limit - pos) - (delimiter.length + 4);
    return rest >= DIRECT_READ ? Math.min(rest, max) : 0;
  }

  /**
   * Reads a part's content up to the next delimiter, which is consumed. Once the content has outgrown the read
   * buffer, the stream is read straight into the content's own array, and the delimiter is looked for there:
   * the bytes of a large file are copied once, from the stream into the array the part keeps.
   */
  private byte[] content(PartContent out) throws IOException {
    int d = delimiter.length;
    while (true) {
      int at = find(buf, pos, limit);
      if (at >= 0) {
        out.add(buf, pos, at - pos);
        pos = at + d;
        return out.bytes();
      }
      if (eof) throw truncated();
      if (out.room() >= DIRECT_READ && limit - pos <= out.room()) {
        byte[] whole = direct(out);
        if (whole != null) return whole;
        continue;
      }
      // no delimiter starts before limit - (d - 1): all bytes before that are content
      int safe = Math.max(pos, limit - (d - 1));
      out.add(buf, pos, safe - pos);
      pos = safe;
      compactAndRead();
    }
  }

  /**
   * Reads into the content's array until the delimiter is found there (the content, exact, is returned and
   * what followed the delimiter goes back into the read buffer) or the array is full or the stream ends (null:
   * the bytes that may start a delimiter go back into the read buffer, and the caller goes on from there).
   */
  private byte[] direct(PartContent out) throws IOException {
    int d = delimiter.length;
    // no delimiter starts before limit - (d - 1) in the buffer: from there on, look again in the array
    int from = out.used + Math.max(0, limit - pos - (d - 1));
    out.append(buf, pos, limit - pos);
    pos = 0;
    limit = 0;
    out.checkAtLeast(from);
    while (out.room() > 0) {
      int n = in.read(out.array, out.used, Math.min(out.room(), buf.length));
      if (n < 0) {
        eof = true;
        break;
      }
      consumed += n;
      out.used += n;
      int at = find(out.array, from, out.used);
      if (at >= 0) {
        int rest = out.used - (at + d);
        System.arraycopy(out.array, at + d, buf, 0, rest);
        limit = rest;
        out.used = at;
        out.checkAtLeast(at);
        return out.bytes();
      }
      from = Math.max(from, out.used - (d - 1));
      out.checkAtLeast(from);
    }
    int tail = out.used - from;
    System.arraycopy(out.array, from, buf, 0, tail);
    limit = tail;
    out.used = from;
    return null;
  }

  /** Index of the first delimiter in {@code b[from, to)}, or -1 (Horspool). */
  private int find(byte[] b, int from, int to) {
    byte[] p = delimiter;
    int d = p.length;
    byte last = p[d - 1];
    int i = from;
    int end = to - d;
    while (i <= end) {
      byte c = b[i + d - 1];
      if (c == last && matches(b, i, p, d - 1)) return i;
      i += shift[c & 0xff];
    }
    return -1;
  }

  private static boolean matches(byte[] b, int at, byte[] p, int length) {
    for (int k = 0; k < length; k++) if (b[at + k] != p[k]) return false;
    return true;
  }

  /** Skips what comes before the first boundary: it starts the body, or ends a preamble (of any length). */
  private void skipPreamble() throws IOException {
    int d = delimiter.length;
    // the first boundary line may start the body: "--boundary" without the leading CRLF
    if (fill(d - 2) && matches(buf, pos, Arrays.copyOfRange(delimiter, 2, d), d - 2)) {
      pos += d - 2;
      return;
    }
    while (true) {
      int at = find(buf, pos, limit);
      if (at >= 0) {
        pos = at + d;
        return;
      }
      pos = Math.max(pos, limit - (d - 1));
      if (eof) {
        throw malformed("The multipart body holds no boundary line (--" + new String(delimiter, 4, d - 4,
            StandardCharsets.ISO_8859_1) + ") of its Content-Type.");
      }
      compactAndRead();
    }
  }

  /** After a boundary: optional spaces or tabs, then CRLF. */
  private void endOfDelimiterLine() throws IOException {
    while (true) {
      if (!fill(1)) throw truncated();
      byte c = buf[pos];
      if (c == ' ' || c == '\t') {
        pos++;
        continue;
      }
      if (!fill(2)) throw truncated();
      if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
        pos += 2;
        return;
      }
      throw malformed("A multipart boundary is not followed by a line break or by --.");
    }
  }

  /** One header line of a part, without its CRLF; lines are UTF-8 (RFC 7578 §5.1). */
  private String headerLine() throws IOException {
    while (true) {
      for (int i = pos; i + 1 < limit; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n') {
          if (i - pos > MAX_HEADER_LINE) break;
          String line;
          try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, pos, i - pos)).toString();
          } catch (CharacterCodingException e) {
            throw malformed("A multipart part has a header line that is not valid UTF-8.");
          }
          pos = i + 2;
          return line;
        }
      }
      if (limit - pos > MAX_HEADER_LINE) throw malformed("A multipart part has a header line over 8 KiB.");
      if (eof) throw truncated();
      compactAndRead();
    }
  }

  /** Reads the rest of the body (the epilogue), so the connection can carry the next request. */
  private void drainEpilogue() throws IOException {
    pos = limit;
    while (!eof) compactAndRead();
  }

  /** Whether {@code n} bytes are at hand from pos, reading as needed. */
  private boolean fill(int n) throws IOException {
    while (limit - pos < n) {
      if (eof) return false;
      compactAndRead();
    }
    return true;
  }

  /** Moves the unread bytes to the start of the buffer and reads once more after them. */
  private void compactAndRead() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
      consumed += n;
    }
  }

  private static ApiException truncated() {
    return malformed("The multipart body ended before its closing boundary (--boundary--).");
  }

  static ApiException malformed(String message) {
    return new ApiException(400, "invalid_request_error", null, "invalid_multipart", message);
  }
}
