package io.imagegate.provider.local;

import io.imagegate.api.Background;
import io.imagegate.api.OutputFormat;
import io.imagegate.api.Quality;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Test helpers: requests, decoding and simple picture statistics. */
final class Pictures {
  private Pictures() {}

  static LocalRenderRequest request(String prompt, int w, int h) {
    return request(prompt, w, h, Quality.MEDIUM, Background.OPAQUE, OutputFormat.PNG);
  }

  static LocalRenderRequest request(String prompt, int w, int h, Quality q, Background bg, OutputFormat f) {
    return new LocalRenderRequest(prompt, w, h, q, bg, f, 80, List.of(), null);
  }

  static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
      if (img == null) throw new AssertionError("no ImageIO reader for these bytes");
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int[] argb(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  static double meanLuma(int[] px) {
    long sum = 0;
    for (int p : px) sum += Rgb.luma(p);
    return (double) sum / px.length;
  }

  /** Mean of one channel: shift 16 red, 8 green, 0 blue. */
  static double mean(int[] px, int shift) {
    long sum = 0;
    for (int p : px) sum += p >> shift & 0xFF;
    return (double) sum / px.length;
  }

  /** Mean absolute per-channel difference, 0..255. */
  static double meanDiff(int[] a, int[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(Rgb.r(a[i]) - Rgb.r(b[i])) + Math.abs(Rgb.g(a[i]) - Rgb.g(b[i])) + Math.abs(Rgb.b(a[i]) - Rgb.b(b[i]));
    }
    return sum / (3.0 * a.length);
  }

  /** Standard deviation of luma. */
  static double lumaStdDev(int[] px) {
    double mean = meanLuma(px), var = 0;
    for (int p : px) var += (Rgb.luma(p) - mean) * (Rgb.luma(p) - mean);
    return Math.sqrt(var / px.length);
  }

  /** Pearson correlation of the two pictures' luma. */
  static double lumaCorrelation(int[] a, int[] b) {
    double ma = meanLuma(a), mb = meanLuma(b), cov = 0, va = 0, vb = 0;
    for (int i = 0; i < a.length; i++) {
      double da = Rgb.luma(a[i]) - ma, db = Rgb.luma(b[i]) - mb;
      cov += da * db;
      va += da * da;
      vb += db * db;
    }
    return cov / Math.sqrt(va * vb);
  }

  /** A photo-like test input: a sky-to-ground gradient with a few solid shapes and fine stripes. */
  static BufferedImage photo(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r, g, b;
        if (y < h / 2) {
          r = 90 + 100 * y / h; g = 150 + 80 * y / h; b = 230;
        } else {
          r = 60 + (x * 7 % 40); g = 140 - 60 * (y - h / 2) / h; b = 50;
        }
        int dx = x - w / 3, dy = y - h / 2;
        if (dx * dx + dy * dy < (h / 6) * (h / 6)) { r = 220; g = 60; b = 40; }
        if (x > w * 2 / 3 && x < w * 5 / 6 && y > h / 3 && y < h * 3 / 4) { r = 240; g = 230; b = 210; }
        img.setRGB(x, y, Rgb.of(r, g, b));
      }
    }
    return img;
  }
}
