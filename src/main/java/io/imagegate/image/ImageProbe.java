package io.imagegate.image;

import io.imagegate.api.ApiException;

/**
 * Reads format and dimensions of an input image from its first bytes, without decoding pixels, so
 * that wrong formats and decompression bombs are refused before any decoder allocates anything.
 */
public final class ImageProbe {
  /** The largest side any of the three formats is decoded with here (JPEG's own maximum). */
  static final int MAX_SIDE = 65_535;

  static final String UNSUPPORTED = "Unsupported image format; use png, jpeg or webp.";

  private ImageProbe() {}

  /**
   * Format from magic bytes (never from names or content types) and width x height from the header
   * only.
   *
   * @throws ApiException {@code invalid_image} for {@code param} when the bytes are empty, not png,
   *     jpeg or webp, the header is truncated or inconsistent, or a side is 0 or over 65535
   */
  public static ImageInfo inspect(byte[] bytes, String param) {
    if (bytes == null || bytes.length == 0) {
      throw ApiException.invalidImage(param, "The image is empty; send png, jpeg or webp bytes.");
    }
    ImageFormat format = ImageFormat.sniff(bytes);
    if (format == null) {
      throw ApiException.invalidImage(param, UNSUPPORTED);
    }
    ImageInfo info;
    try {
      info = switch (format) {
        case PNG -> PngHeader.read(bytes, param);
        case JPEG -> JpegHeader.read(bytes, param);
        case WEBP -> WebpHeader.read(bytes, param);
      };
    } catch (IndexOutOfBoundsException e) {
      // every reader checks bounds itself; this only turns a missed check into a clean refusal
      throw unreadable(param, format);
    }
    if (info.width() < 1 || info.height() < 1 || info.width() > MAX_SIDE || info.height() > MAX_SIDE) {
      throw ApiException.invalidImage(param, "The " + name(format) + " header declares "
          + info.width() + "x" + info.height()
          + " pixels; each side must be between 1 and " + MAX_SIDE + ".");
    }
    return info;
  }

  /** The refusal for a header that is truncated or contradicts its own format. */
  static ApiException unreadable(String param, ImageFormat format) {
    return ApiException.invalidImage(param, "The " + name(format)
        + " header is truncated or corrupt; send a complete png, jpeg or webp file.");
  }

  static String name(ImageFormat format) { return format.name().toLowerCase(java.util.Locale.ROOT); }

  static int u8(byte[] b, int i) { return b[i] & 0xFF; }

  static int u16be(byte[] b, int i) { return (u8(b, i) << 8) | u8(b, i + 1); }

  static int u16le(byte[] b, int i) { return u8(b, i) | (u8(b, i + 1) << 8); }

  static int u24le(byte[] b, int i) { return u16le(b, i) | (u8(b, i + 2) << 16); }

  static long u32be(byte[] b, int i) { return ((long) u16be(b, i) << 16) | u16be(b, i + 2); }

  static long u32le(byte[] b, int i) { return u16le(b, i) | ((long) u16le(b, i + 2) << 16); }

  static boolean fourCc(byte[] b, int i, String tag) {
    if (i < 0 || b.length < i + 4) {
      return false;
    }
    for (int k = 0; k < 4; k++) {
      if (b[i + k] != (byte) tag.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
