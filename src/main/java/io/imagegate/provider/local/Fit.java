package io.imagegate.provider.local;

import java.awt.image.BufferedImage;

/**
 * Resampling for edits: cover-scale then centre-crop an input to the output size. Downscales halve
 * with 2x2 box averages first (no aliasing), then a bilinear pass with clamped edges; all on int
 * arrays, so it is exact and reproducible. A same-size input is copied untouched.
 */
final class Fit {
  private Fit() {}

  /** {@code src} cover-fitted to {@code w x h}, as 0xAARRGGBB. */
  static int[] cover(BufferedImage src, int w, int h) {
    int sw = src.getWidth(), sh = src.getHeight();
    int[] px = src.getRGB(0, 0, sw, sh, null, 0, sw);
    return cover(px, sw, sh, w, h);
  }

  static int[] cover(int[] px, int sw, int sh, int w, int h) {
    if (sw == w && sh == h) return px.clone();
    double scale = Math.max((double) w / sw, (double) h / sh);
    double cx = (sw - w / scale) / 2, cy = (sh - h / scale) / 2;
    while (scale < 0.5 && sw >= 2 && sh >= 2) {
      px = halve(px, sw, sh);
      sw /= 2;
      sh /= 2;
      scale *= 2;
      cx /= 2;
      cy /= 2;
    }
    return bilinear(px, sw, sh, w, h, scale, scale, cx, cy);
  }

  /** {@code src} stretched (aspect not kept) to {@code w x h}: how a mask is brought to its image's size. */
  static int[] stretch(int[] px, int sw, int sh, int w, int h) {
    if (sw == w && sh == h) return px;
    return bilinear(px, sw, sh, w, h, (double) w / sw, (double) h / sh, 0, 0);
  }

  private static int[] halve(int[] px, int sw, int sh) {
    int w = sw / 2, h = sh / 2;
    int[] out = new int[w * h];
    Canvas.forBands(w, h, (y0, y1) -> {
      for (int y = y0; y < y1; y++) {
        int r0 = 2 * y * sw, r1 = r0 + sw;
        for (int x = 0; x < w; x++) {
          int a = px[r0 + 2 * x], b = px[r0 + 2 * x + 1], c = px[r1 + 2 * x], d = px[r1 + 2 * x + 1];
          out[y * w + x] = avg(a, b, c, d, 24) | avg(a, b, c, d, 16) | avg(a, b, c, d, 8) | avg(a, b, c, d, 0);
        }
      }
    });
    return out;
  }

  private static int avg(int a, int b, int c, int d, int shift) {
    int s = (a >>> shift & 0xFF) + (b >>> shift & 0xFF) + (c >>> shift & 0xFF) + (d >>> shift & 0xFF);
    return (s + 2) >> 2 << shift;
  }

  /** Output pixel (x, y) samples source point ((x+.5)/sx + ox - .5, (y+.5)/sy + oy - .5), edges clamped. */
  private static int[] bilinear(int[] px, int sw, int sh, int w, int h, double sx, double sy, double ox, double oy) {
    int[] x0 = new int[w], x1 = new int[w], fx = new int[w];
    for (int x = 0; x < w; x++) {
      double s = Math.max(0, Math.min(sw - 1, (x + 0.5) / sx + ox - 0.5));
      x0[x] = (int) s;
      x1[x] = Math.min(sw - 1, x0[x] + 1);
      fx[x] = (int) Math.round((s - x0[x]) * 256);
    }
    int[] out = new int[w * h];
    Canvas.forBands(w, h, (ya, yb) -> {
      for (int y = ya; y < yb; y++) {
        double s = Math.max(0, Math.min(sh - 1, (y + 0.5) / sy + oy - 0.5));
        int y0 = (int) s, y1 = Math.min(sh - 1, y0 + 1), fy = (int) Math.round((s - y0) * 256);
        int r0 = y0 * sw, r1 = y1 * sw;
        for (int x = 0; x < w; x++) {
          int a = px[r0 + x0[x]], b = px[r0 + x1[x]], c = px[r1 + x0[x]], d = px[r1 + x1[x]];
          out[y * w + x] = lerp2(a, b, c, d, fx[x], fy, 24) | lerp2(a, b, c, d, fx[x], fy, 16)
              | lerp2(a, b, c, d, fx[x], fy, 8) | lerp2(a, b, c, d, fx[x], fy, 0);
        }
      }
    });
    return out;
  }

  private static int lerp2(int a, int b, int c, int d, int fx, int fy, int shift) {
    int ca = a >>> shift & 0xFF, cb = b >>> shift & 0xFF, cc = c >>> shift & 0xFF, cd = d >>> shift & 0xFF;
    int top = ca * 256 + (cb - ca) * fx, bottom = cc * 256 + (cd - cc) * fx;
    return (top * 256 + (bottom - top) * fy + 32768) >> 16 << shift;
  }
}
