package io.imagegate.image;

import static io.imagegate.image.ImageProbe.fourCc;
import static io.imagegate.image.ImageProbe.u16le;
import static io.imagegate.image.ImageProbe.u24le;
import static io.imagegate.image.ImageProbe.u32le;
import static io.imagegate.image.ImageProbe.u8;

/**
 * WebP: a RIFF container whose first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended,
 * carrying the canvas size and an alpha flag). Layouts per RFC 9649.
 */
final class WebpHeader {
  private static final int CHUNK = 12;
  private static final int DATA = CHUNK + 8;

  private WebpHeader() {}

  static ImageInfo read(byte[] b, String param) {
    if (b.length < DATA + 10) {
      throw ImageProbe.unreadable(param, ImageFormat.WEBP);
    }
    if (fourCc(b, CHUNK, "VP8X")) {
      // flags byte: bit 4 is ALPHA; 3 reserved bytes; then width-1 and height-1 as 24-bit values
      boolean alpha = (u8(b, DATA) & 0x10) != 0;
      return new ImageInfo(ImageFormat.WEBP, u24le(b, DATA + 4) + 1, u24le(b, DATA + 7) + 1, alpha);
    }
    if (fourCc(b, CHUNK, "VP8L")) {
      if (u8(b, DATA) != 0x2F) {
        throw ImageProbe.unreadable(param, ImageFormat.WEBP);
      }
      // 14 bits width-1, 14 bits height-1, 1 bit alpha_is_used, 3 bits version (must be 0)
      long bits = u32le(b, DATA + 1);
      if ((bits >>> 29) != 0) {
        throw ImageProbe.unreadable(param, ImageFormat.WEBP);
      }
      int width = (int) (bits & 0x3FFF) + 1;
      int height = (int) ((bits >>> 14) & 0x3FFF) + 1;
      return new ImageInfo(ImageFormat.WEBP, width, height, ((bits >>> 28) & 1) != 0);
    }
    if (fourCc(b, CHUNK, "VP8 ")) {
      // 3-byte frame tag (bit 0 clear on key frames), start code 9D 01 2A, then 14-bit sizes
      boolean keyFrame = (u8(b, DATA) & 1) == 0;
      if (!keyFrame || u8(b, DATA + 3) != 0x9D || u8(b, DATA + 4) != 0x01 || u8(b, DATA + 5) != 0x2A) {
        throw ImageProbe.unreadable(param, ImageFormat.WEBP);
      }
      int width = u16le(b, DATA + 6) & 0x3FFF;
      int height = u16le(b, DATA + 8) & 0x3FFF;
      return new ImageInfo(ImageFormat.WEBP, width, height, false);
    }
    throw ImageProbe.unreadable(param, ImageFormat.WEBP);
  }
}
