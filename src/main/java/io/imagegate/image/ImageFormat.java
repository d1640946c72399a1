package io.imagegate.image;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The input encodings the gateway accepts, recognised by their magic bytes only. */
public enum ImageFormat {
  PNG("image/png"), JPEG("image/jpeg"), WEBP("image/webp");

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private final String mimeType;

  ImageFormat(String mimeType) { this.mimeType = mimeType; }

  public String mimeType() { return mimeType; }

  /** The ImageIO format name of the reader for this encoding. */
  String imageIoName() { return this == JPEG ? "jpeg" : name().toLowerCase(Locale.ROOT); }

  /**
   * The format whose signature starts {@code head}, or {@code null} when it is none of the three
   * (or too short to tell). Names and declared content types are never consulted: they lie.
   */
  public static ImageFormat sniff(byte[] head) {
    if (head == null) {
      return null;
    }
    if (startsWith(head, 0, PNG_SIGNATURE)) {
      return PNG;
    }
    if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
      return JPEG;
    }
    if (startsWith(head, 0, ascii("RIFF")) && startsWith(head, 8, ascii("WEBP"))) {
      return WEBP;
    }
    return null;
  }

  private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
    if (data.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
