package io.imagegate.api;

/** A concrete width × height in pixels, as written on the wire ({@code "1024x1536"}). */
public record ImageSize(int width, int height) {

  public long pixels() { return (long) width * height; }

  /** The wire form, {@code WxH}. */
  @Override
  public String toString() { return width + "x" + height; }

  /**
   * Parses {@code WxH} exactly: ASCII digits (no other Unicode digits), a lowercase {@code x}, nothing else;
   * null when the text is not of that shape (the caller words the error).
   */
  static ImageSize parseOrNull(String text) {
    int x = text.indexOf('x');
    if (x <= 0 || x == text.length() - 1 || text.indexOf('x', x + 1) >= 0) return null;
    try {
      String w = text.substring(0, x), h = text.substring(x + 1);
      if (!asciiDigits(w) || !asciiDigits(h)) return null;
      if (w.length() > 6 || h.length() > 6) return null;
      return new ImageSize(Integer.parseInt(w), Integer.parseInt(h));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean asciiDigits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
