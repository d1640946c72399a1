package io.imagegate.image;

import static io.imagegate.image.ImageProbe.fourCc;
import static io.imagegate.image.ImageProbe.u32be;
import static io.imagegate.image.ImageProbe.u8;

import java.util.zip.CRC32;

/** PNG: IHDR must be the first chunk; alpha from its colour type or a tRNS chunk before IDAT. */
final class PngHeader {
  private static final int IHDR_AT = 8;
  private static final int IHDR_DATA = 13;

  private PngHeader() {}

  static ImageInfo read(byte[] b, String param) {
    if (b.length < IHDR_AT + 8 + IHDR_DATA + 4 || u32be(b, IHDR_AT) != IHDR_DATA || !fourCc(b, IHDR_AT + 4, "IHDR")) {
      throw ImageProbe.unreadable(param, ImageFormat.PNG);
    }
    int data = IHDR_AT + 8;
    CRC32 crc = new CRC32();
    crc.update(b, IHDR_AT + 4, 4 + IHDR_DATA);
    if (crc.getValue() != u32be(b, data + IHDR_DATA)) {
      throw ImageProbe.unreadable(param, ImageFormat.PNG);
    }
    long width = u32be(b, data);
    long height = u32be(b, data + 4);
    int colorType = u8(b, data + 9);
    if (colorType != 0 && colorType != 2 && colorType != 3 && colorType != 4 && colorType != 6) {
      throw ImageProbe.unreadable(param, ImageFormat.PNG);
    }
    boolean alpha = colorType == 4 || colorType == 6 || hasTransparencyChunk(b, data + IHDR_DATA + 4);
    return new ImageInfo(ImageFormat.PNG, clamp(width), clamp(height), alpha);
  }

  /**
   * Walks chunk headers (not their data) up to the first IDAT, where tRNS must have appeared. Each
   * step advances at least 12 bytes, so this is linear in the input and never loops.
   */
  private static boolean hasTransparencyChunk(byte[] b, int at) {
    long pos = at;
    while (pos + 8 <= b.length) {
      int p = (int) pos;
      if (fourCc(b, p + 4, "tRNS")) {
        return true;
      }
      if (fourCc(b, p + 4, "IDAT") || fourCc(b, p + 4, "IEND")) {
        return false;
      }
      pos += 12 + u32be(b, p);
    }
    return false;
  }

  /** Values past int range are absurd anyway; keep them out of range so inspect() refuses them. */
  private static int clamp(long side) { return (int) Math.min(side, Integer.MAX_VALUE); }
}
