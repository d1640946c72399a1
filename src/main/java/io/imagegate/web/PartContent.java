package io.imagegate.web;

import io.imagegate.api.ApiException;
import java.util.Arrays;

/**
 * A multipart part's content ({@link MultipartForm}) in one array: sized at once when the part's size can be
 * foreseen, else grown by doubling, and trimmed at the end to the exact size (no copy when the size was
 * foreseen right).
 */
final class PartContent {
  private final String name;
  private final long max;
  private final boolean text;
  byte[] array;
  int used;
  /** The array was sized for the part's foreseen size: if that falls short, it was by a few bytes. */
  private boolean foreseen;

  PartContent(String name, long max, boolean text, long expected) {
    this.name = name;
    this.max = max;
    this.text = text;
    this.foreseen = expected > 0;
    this.array = new byte[foreseen ? (int) expected : 256];
  }

  int room() { return array.length - used; }

  /** Content bytes, checked against the part's limit. */
  void add(byte[] b, int off, int len) {
    if (len <= 0) return;
    checkAtLeast((long) used + len);
    append(b, off, len);
  }

  /** Bytes that may still turn out to start the delimiter: the limit is checked once they are known. */
  void append(byte[] b, int off, int len) {
    if (len <= 0) return;
    if (len > room()) {
      long grown = foreseen ? (long) used + len + 256 : Math.min((long) array.length * 2, max + 256);
      foreseen = false;
      long want = Math.max((long) used + len, grown);
      array = Arrays.copyOf(array, (int) Math.min(want, Integer.MAX_VALUE - 16));
    }
    System.arraycopy(b, off, array, used, len);
    used += len;
  }

  /** The part holds at least {@code size} bytes of content. */
  void checkAtLeast(long size) {
    if (size > max) throw tooLarge();
  }

  byte[] bytes() { return used == array.length ? array : Arrays.copyOf(array, used); }

  /** A text field past its limit is a bad value (400); a file past its limit is too large (413). */
  private ApiException tooLarge() {
    if (text) {
      return ApiException.invalidValue(name, "The text field '" + name + "' is longer than " + describe(max) + ".");
    }
    return new ApiException(413, "invalid_request_error", name, "request_too_large", "The multipart part '" + name
        + "' is larger than this gateway accepts (" + describe(max) + ").");
  }

  private static String describe(long bytes) {
    return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MB" : bytes / 1024 + " KiB";
  }
}
