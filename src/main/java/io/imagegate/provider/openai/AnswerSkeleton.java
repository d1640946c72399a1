package io.imagegate.provider.openai;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An upstream answer with each {@code "b64_json"} value that is plain base64 cut out: one pass over the bytes
 * finds those values and checks their alphabet as it goes, and what is left (a few hundred bytes of JSON,
 * each cut value replaced by a marker) is what the JSON parser reads. Without it the parser skipped over
 * every image's megabytes once more to find the string's end.
 *
 * <p>A marker is a string of a per-answer random prefix and the value's index, so no text in the answer can
 * pass for one. A value that is not plain base64 (escapes, another alphabet) is left in place for the
 * parser, which decodes it, and the caller checks it.
 */
final class AnswerSkeleton {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] KEY = "b64_json".getBytes(StandardCharsets.US_ASCII);

  /** Where one cut value lies in the answer: {@code length} bytes from {@code offset}, checked base64. */
  record Range(int offset, int length) {}

  private final byte[] json;
  private final String marker;
  private final List<Range> ranges;

  private AnswerSkeleton(byte[] json, String marker, List<Range> ranges) {
    this.json = json;
    this.marker = marker;
    this.ranges = ranges;
  }

  /** The JSON to parse. */
  byte[] json() { return json; }

  /** The range a parsed string stands for, or null when it is no marker of this skeleton. */
  Range range(String value) {
    if (value == null || !value.startsWith(marker)) return null;
    try {
      int i = Integer.parseInt(value.substring(marker.length()));
      return i >= 0 && i < ranges.size() ? ranges.get(i) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static AnswerSkeleton of(byte[] body, boolean[] alphabet) {
    String marker = "#" + HexFormat.of().formatHex(nonce()) + ":";
    List<Range> ranges = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    int n = body.length;
    int copied = 0; // body[copied..] is not in out yet
    boolean afterKey = false; // the last string was the key "b64_json" and a ':' followed it
    int i = 0;
    while (i < n) {
      byte b = body[i];
      if (b != '"') {
        if (b == ',' || b == '{' || b == '[' || b == '}' || b == ']') afterKey = false;
        i++;
        continue;
      }
      int start = i + 1;
      if (afterKey) {
        afterKey = false;
        int end = start;
        while (end < n && alphabet[body[end] & 0xff]) end++;
        int data = end;
        while (end < n && body[end] == '=' && end - data < 2) end++;
        if (end < n && body[end] == '"' && end > start && (end - start) % 4 == 0) {
          out.write(body, copied, start - copied);
          out.writeBytes((marker + ranges.size()).getBytes(StandardCharsets.UTF_8));
          ranges.add(new Range(start, end - start));
          copied = end;
          i = end + 1;
          continue;
        }
      }
      int end = closingQuote(body, start);
      i = end + 1;
      afterKey = isKey(body, start, end) && colonFollows(body, end + 1);
    }
    out.write(body, copied, n - copied);
    return new AnswerSkeleton(out.toByteArray(), marker, ranges);
  }

  /** The index of the quote that ends the string starting at {@code from}, or the body's length. */
  private static int closingQuote(byte[] body, int from) {
    int k = from;
    while (k < body.length) {
      byte c = body[k];
      if (c == '\\') k += 2;
      else if (c == '"') return k;
      else k++;
    }
    return body.length;
  }

  private static boolean isKey(byte[] body, int start, int end) {
    if (end - start != KEY.length) return false;
    for (int k = 0; k < KEY.length; k++) if (body[start + k] != KEY[k]) return false;
    return true;
  }

  private static boolean colonFollows(byte[] body, int from) {
    for (int k = from; k < body.length; k++) {
      byte c = body[k];
      if (c == ':') return true;
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    }
    return false;
  }

  private static byte[] nonce() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }
}
