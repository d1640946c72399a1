package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
  private final ImageSourceResolver resolver = new ImageSourceResolver(ImageLimits.defaults());

  @Test
  void decode_png_givesArgbWithSamePixels() {
    byte[] png = TestImages.png(9, 5, true);

    BufferedImage image = ImageDecoder.decode(resolver.fromBytes(png, "image"), "image");

    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
    assertThat(image.getRGB(3, 2)).isEqualTo(TestImages.image(9, 5, BufferedImage.TYPE_INT_ARGB).getRGB(3, 2));
  }

  @Test
  void decode_jpegAndWebp_convertToArgb() {
    for (byte[] bytes : new byte[][] {TestImages.jpeg(16, 8), TestImages.webp(16, 8, false, false),
        TestImages.webp(16, 8, true, true)}) {
      BufferedImage image = ImageDecoder.decode(resolver.fromBytes(bytes, "image"), "image");
      assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
      assertThat(image.getWidth()).isEqualTo(16);
      assertThat(image.getHeight()).isEqualTo(8);
    }
  }

  @Test
  void decode_validHeaderWithCorruptData_isRefused() {
    byte[] png = TestImages.png(32, 32, false);
    byte[] truncated = Arrays.copyOf(png, 60);

    InputImage image = resolver.fromBytes(truncated, "mask");

    assertThatThrownBy(() -> ImageDecoder.decode(image, "mask"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("mask"))
        .hasMessageContaining("Could not decode the image");
  }

  @Test
  void decode_headerDisagreeingWithCheckedInfo_isRefused() {
    byte[] png = TestImages.png(8, 8, false);
    InputImage lying = new InputImage(png, new ImageInfo(ImageFormat.PNG, 1, 1, false));

    assertThatThrownBy(() -> ImageDecoder.decode(lying, "image")).hasMessageContaining("Could not decode");
  }
}
