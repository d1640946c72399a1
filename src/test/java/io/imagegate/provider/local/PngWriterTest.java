package io.imagegate.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

class PngWriterTest {
  /** Big enough for several independently deflated pieces; mixes smooth areas and noise. */
  private static int[] sample(int w, int h, boolean alpha) {
    SplittableRandom r = new SplittableRandom(7);
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int a = alpha ? (x * 255 / w) : 255;
        int c = y < h / 2 ? Rgb.of(y % 256, x % 256, 128) : r.nextInt() & 0xFFFFFF;
        px[y * w + x] = a << 24 | (c & 0xFFFFFF);
      }
    }
    return px;
  }

  @Test
  void encode_rgb_roundTripsExactly() {
    int w = 900, h = 700;
    int[] px = sample(w, h, false);
    BufferedImage img = Pictures.decode(PngWriter.encode(px, w, h, false));
    assertThat(img.getColorModel().hasAlpha()).isFalse();
    int[] back = Pictures.argb(img);
    for (int i = 0; i < px.length; i++) assertThat(back[i]).isEqualTo(px[i] | 0xFF000000);
  }

  @Test
  void encode_rgba_roundTripsExactly() {
    int w = 700, h = 650;
    int[] px = sample(w, h, true);
    BufferedImage img = Pictures.decode(PngWriter.encode(px, w, h, true));
    assertThat(img.getColorModel().hasAlpha()).isTrue();
    int[] back = Pictures.argb(img);
    for (int i = 0; i < px.length; i++) {
      if (px[i] >>> 24 != 0) assertThat(back[i]).isEqualTo(px[i]);
      else assertThat(back[i] >>> 24).isZero();
    }
  }

  @Test
  void encode_tinyImage_isValid() {
    BufferedImage img = Pictures.decode(PngWriter.encode(new int[] {0xFF123456}, 1, 1, false));
    assertThat(img.getRGB(0, 0)).isEqualTo(0xFF123456);
  }

  @Test
  void adlerCombine_matchesTheChecksumOfTheConcatenation() {
    byte[] a = new byte[70_000], b = new byte[123_457];
    new SplittableRandom(3).nextBytes(a);
    new SplittableRandom(4).nextBytes(b);
    Adler32 whole = new Adler32();
    whole.update(a);
    whole.update(b);
    Adler32 first = new Adler32(), second = new Adler32();
    first.update(a);
    second.update(b);
    assertThat(PngWriter.adlerCombine(first.getValue(), second.getValue(), b.length)).isEqualTo(whole.getValue());
  }
}
