package io.imagegate.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagegate.api.OutputFormat;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageEncoderTest {
  private static BufferedImage gradient(int type) {
    BufferedImage img = new BufferedImage(120, 80, type);
    for (int y = 0; y < 80; y++) {
      for (int x = 0; x < 120; x++) img.setRGB(x, y, (x < 60 ? 0x80 : 0xFF) << 24 | Rgb.of(x * 2, y * 3, 90) & 0xFFFFFF);
    }
    return img;
  }

  @Test
  void encode_jpegFromAnArgbImage_dropsAlphaAndDecodes() {
    byte[] bytes = ImageEncoder.encode(gradient(BufferedImage.TYPE_INT_ARGB), OutputFormat.JPEG, 90, true);
    BufferedImage back = Pictures.decode(bytes);
    assertThat(back.getWidth()).isEqualTo(120);
    assertThat(back.getColorModel().hasAlpha()).isFalse();
  }

  @Test
  void encode_withoutAlpha_flattensTranslucentPixelsOntoWhite() {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0x00000000);
    img.setRGB(1, 0, 0xFF000000);
    BufferedImage back = Pictures.decode(ImageEncoder.encode(img, OutputFormat.PNG, 0, false));
    assertThat(back.getRGB(0, 0)).isEqualTo(0xFFFFFFFF);
    assertThat(back.getRGB(1, 0)).isEqualTo(0xFF000000);
  }

  @Test
  void encode_pngFromANonIntRaster_isExact() {
    BufferedImage img = gradient(BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage back = Pictures.decode(ImageEncoder.encode(img, OutputFormat.PNG, 0, true));
    assertThat(Pictures.argb(back)).isEqualTo(Pictures.argb(img));
  }

  @Test
  void encode_webpLosslessAtCompression100_isExact_andLossyIsSmaller() {
    assumeTrue(LocalEngine.webpAvailable(), "no WebP writer here");
    BufferedImage img = Pictures.photo(200, 150);
    byte[] lossless = ImageEncoder.encode(img, OutputFormat.WEBP, 100, false);
    assertThat(Pictures.argb(Pictures.decode(lossless))).isEqualTo(Pictures.argb(img));
    byte[] lossy = ImageEncoder.encode(img, OutputFormat.WEBP, 10, false);
    assertThat(lossy.length).isLessThan(lossless.length);
  }

  @Test
  void encode_webpWithAlpha_keepsTransparency() {
    assumeTrue(LocalEngine.webpAvailable(), "no WebP writer here");
    BufferedImage back = Pictures.decode(ImageEncoder.encode(gradient(BufferedImage.TYPE_INT_ARGB), OutputFormat.WEBP, 100, true));
    assertThat(back.getColorModel().hasAlpha()).isTrue();
    assertThat(back.getRGB(10, 10) >>> 24).isEqualTo(0x80);
    assertThat(back.getRGB(100, 10) >>> 24).isEqualTo(0xFF);
  }
}
