package io.imagegate.image;

import static io.imagegate.image.ImageProbe.u16be;
import static io.imagegate.image.ImageProbe.u8;

/** JPEG: walks marker segments from SOI to the first SOFn frame header, skipping each by length. */
final class JpegHeader {
  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;

  private JpegHeader() {}

  static ImageInfo read(byte[] b, String param) {
    int pos = 2; // after SOI
    while (pos < b.length) {
      if (u8(b, pos) != 0xFF) {
        break; // segments must start with a marker: anything else is corrupt
      }
      while (pos < b.length && u8(b, pos) == 0xFF) {
        pos++; // fill bytes may precede a marker
      }
      if (pos >= b.length) {
        break;
      }
      int marker = u8(b, pos++);
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
        continue; // TEM, RSTn and SOI stand alone, without a length
      }
      if (marker == SOS || marker == EOI || pos + 2 > b.length) {
        break; // image data or the end came before any frame header
      }
      int length = u16be(b, pos);
      if (length < 2) {
        break;
      }
      if (isStartOfFrame(marker)) {
        if (length < 8 || pos + 7 > b.length) {
          break;
        }
        int height = u16be(b, pos + 3);
        int width = u16be(b, pos + 5);
        // a height of 0 means "see the DNL marker later", which no decoder here supports
        return new ImageInfo(ImageFormat.JPEG, width, height, false);
      }
      pos += length;
    }
    throw ImageProbe.unreadable(param, ImageFormat.JPEG);
  }

  /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }
}
