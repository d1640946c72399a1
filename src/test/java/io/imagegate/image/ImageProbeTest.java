package io.imagegate.image;

import static io.imagegate.image.TestImages.webpContainer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageProbeTest {

  @Test
  void inspect_png_readsSizeAndAlphaFromColorType() {
    assertThat(ImageProbe.inspect(TestImages.png(37, 21, true), "image"))
        .isEqualTo(new ImageInfo(ImageFormat.PNG, 37, 21, true));
    assertThat(ImageProbe.inspect(TestImages.png(5, 300, false), "image"))
        .isEqualTo(new ImageInfo(ImageFormat.PNG, 5, 300, false));
  }

  @Test
  void inspect_palettePngWithTransparentEntry_hasAlphaFromTrnsChunk() {
    byte[] rgb = {0, (byte) 255};
    IndexColorModel withTransparency = new IndexColorModel(8, 2, rgb, rgb, rgb, 0);
    IndexColorModel opaque = new IndexColorModel(8, 2, rgb, rgb, rgb);
    byte[] transparent = TestImages.encode(new BufferedImage(9, 4, BufferedImage.TYPE_BYTE_INDEXED, withTransparency), "png");
    byte[] solid = TestImages.encode(new BufferedImage(9, 4, BufferedImage.TYPE_BYTE_INDEXED, opaque), "png");

    assertThat(ImageProbe.inspect(transparent, "image").hasAlpha()).isTrue();
    assertThat(ImageProbe.inspect(solid, "image").hasAlpha()).isFalse();
  }

  @Test
  void inspect_jpeg_readsSizeFromFrameHeader() {
    assertThat(ImageProbe.inspect(TestImages.jpeg(64, 48), "image"))
        .isEqualTo(new ImageInfo(ImageFormat.JPEG, 64, 48, false));
  }

  @Test
  void inspect_jpegWithoutFrameHeader_isRefused() {
    byte[] noFrame = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 4, 0, 0, (byte) 0xFF, (byte) 0xD9};
    assertRefused(noFrame, "jpeg header is truncated or corrupt");
  }

  @Test
  void inspect_webpFromEncoder_coversAllThreeChunkKinds() {
    byte[] lossy = TestImages.webp(33, 17, false, false);
    byte[] lossless = TestImages.webp(40, 30, true, true);
    byte[] lossyAlpha = TestImages.webp(50, 20, true, false);
    assertThat(new String(lossy, 12, 4)).isEqualTo("VP8 ");
    assertThat(new String(lossless, 12, 4)).isEqualTo("VP8L");
    assertThat(new String(lossyAlpha, 12, 4)).isEqualTo("VP8X");

    assertThat(ImageProbe.inspect(lossy, "image")).isEqualTo(new ImageInfo(ImageFormat.WEBP, 33, 17, false));
    assertThat(ImageProbe.inspect(lossless, "image")).isEqualTo(new ImageInfo(ImageFormat.WEBP, 40, 30, true));
    assertThat(ImageProbe.inspect(lossyAlpha, "image")).isEqualTo(new ImageInfo(ImageFormat.WEBP, 50, 20, true));
  }

  @Test
  void inspect_handBuiltWebpHeaders_decodeBitFieldsExactly() {
    // VP8X: flags with ALPHA (0x10), 3 reserved, width-1 = 19999 and height-1 = 2 as 24-bit LE
    byte[] vp8x = webpContainer("VP8X", new byte[] {0x10, 0, 0, 0, 0x1F, 0x4E, 0, 2, 0, 0});
    // VP8L: 0x2F, then width-1 = 16383 (14 bits), height-1 = 1, alpha bit 0, version 0
    int bits = 16383 | (1 << 14);
    byte[] vp8l = webpContainer("VP8L", new byte[] {0x2F, (byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24), 0, 0, 0, 0, 0});
    // VP8: key frame tag, start code, 14-bit width 1000 with scale bits set, height 7
    byte[] vp8 = webpContainer("VP8 ", new byte[] {0, 0, 0, (byte) 0x9D, 1, 0x2A, (byte) 0xE8, (byte) 0xC3, 7, 0});

    assertThat(ImageProbe.inspect(vp8x, "image")).isEqualTo(new ImageInfo(ImageFormat.WEBP, 20000, 3, true));
    assertThat(ImageProbe.inspect(vp8l, "image")).isEqualTo(new ImageInfo(ImageFormat.WEBP, 16384, 2, false));
    assertThat(ImageProbe.inspect(vp8, "image")).isEqualTo(new ImageInfo(ImageFormat.WEBP, 1000, 7, false));
  }

  @Test
  void inspect_webpWithUnknownFirstChunk_isRefused() {
    assertRefused(webpContainer("ANIM", new byte[10]), "webp header is truncated or corrupt");
  }

  @Test
  void inspect_gifBmpAndGarbage_areRefusedAsUnsupported() {
    assertRefused(TestImages.encode(TestImages.image(4, 4, BufferedImage.TYPE_INT_RGB), "gif"), "use png, jpeg or webp");
    assertRefused(TestImages.encode(TestImages.image(4, 4, BufferedImage.TYPE_INT_RGB), "bmp"), "use png, jpeg or webp");
    assertRefused("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(), "use png, jpeg or webp");
    assertRefused(new byte[] {1, 2, 3}, "use png, jpeg or webp");
  }

  @Test
  void inspect_emptyInput_isRefused() {
    assertRefused(new byte[0], "empty");
  }

  @Test
  void inspect_pngHeaderOnly_readsDeclaredSizeWithoutPixelData() {
    assertThat(ImageProbe.inspect(TestImages.pngHeader(30000, 30000, 6), "image"))
        .isEqualTo(new ImageInfo(ImageFormat.PNG, 30000, 30000, true));
  }

  @Test
  void inspect_pngWithBadCrcOrTruncatedHeader_isRefused() {
    byte[] header = TestImages.pngHeader(10, 10, 2);
    byte[] badCrc = header.clone();
    badCrc[badCrc.length - 1] ^= 1;
    assertRefused(badCrc, "png header is truncated or corrupt");
    assertRefused(Arrays.copyOf(header, 20), "png header is truncated or corrupt");
  }

  @Test
  void inspect_zeroOrAbsurdDimensions_areRefused() {
    assertRefused(TestImages.pngHeader(0, 10, 2), "0x10");
    assertRefused(TestImages.pngHeader(70000, 1, 2), "70000x1");
    assertRefused(TestImages.pngHeader(-1, 1, 2), "between 1 and 65535");
  }

  @Test
  void sniff_decidesByMagicBytesOnly() {
    assertThat(ImageFormat.sniff(TestImages.png(1, 1, false))).isEqualTo(ImageFormat.PNG);
    assertThat(ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})).isEqualTo(ImageFormat.JPEG);
    assertThat(ImageFormat.sniff("RIFF\0\0\0\0WAVE".getBytes())).isNull();
    assertThat(ImageFormat.sniff(new byte[] {(byte) 0x89, 'P'})).isNull();
    assertThat(ImageFormat.WEBP.mimeType()).isEqualTo("image/webp");
  }

  private static void assertRefused(byte[] bytes, String messagePart) {
    assertThatThrownBy(() -> ImageProbe.inspect(bytes, "images[2]"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo("invalid_image");
          assertThat(e.param()).isEqualTo("images[2]");
          assertThat(e.status()).isEqualTo(400);
        })
        .hasMessageContaining(messagePart);
  }
}
