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
    return cover(argb(src), src.getWidth(), src.getHeight(), w, h);
  }

  /**
   * A fresh 0xAARRGGBB copy of the image. The layouts ImageIO decodes to and the engine draws in are
   * read straight from their buffers; anything else goes through {@code getRGB} (slow, but general).
   */
  static int[] argb(BufferedImage img) {
    int w = img.getWidth(), h = img.getHeight(), n = w * h;
    var raster = img.getRaster();
    boolean plain = raster.getParent() == null && raster.getMinX() == 0 && raster.getMinY() == 0;
    if (plain && raster.getDataBuffer() instanceof java.awt.image.DataBufferInt db && db.getNumBanks() == 1
        && db.getOffset() == 0 && db.getSize() == n
        && raster.getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel sm && sm.getScanlineStride() == w) {
      int[] data = db.getData();
      if (img.getType() == BufferedImage.TYPE_INT_ARGB) return data.clone();
      if (img.getType() == BufferedImage.TYPE_INT_RGB) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = data[i] | 0xFF000000;
        return out;
      }
    }
    int type = img.getType();
    if (plain && (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
        && raster.getDataBuffer() instanceof java.awt.image.DataBufferByte db && db.getNumBanks() == 1
        && db.getOffset() == 0
        && raster.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm
        && sm.getScanlineStride() == w * sm.getPixelStride()) {
      byte[] b = db.getData();
      int[] out = new int[n];
      if (type == BufferedImage.TYPE_3BYTE_BGR) {
        for (int i = 0, k = 0; i < n; i++, k += 3) out[i] = 0xFF000000 | (b[k + 2] & 0xFF) << 16 | (b[k + 1] & 0xFF) << 8 | b[k] & 0xFF;
      } else {
        for (int i = 0, k = 0; i < n; i++, k += 4) {
          out[i] = (b[k] & 0xFF) << 24 | (b[k + 3] & 0xFF) << 16 | (b[k + 2] & 0xFF) << 8 | b[k + 1] & 0xFF;
        }
      }
      return out;
    }
    return img.getRGB(0, 0, w, h, null, 0, w);
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
      fx[x] = Math.min(255, (int) Math.round((s - x0[x]) * 256));
    }
    int[] out = new int[w * h];
    Canvas.forBands(w, h, (ya, yb) -> {
      for (int y = ya; y < yb; y++) {
        double s = Math.max(0, Math.min(sh - 1, (y + 0.5) / sy + oy - 0.5));
        int y0 = (int) s, y1 = Math.min(sh - 1, y0 + 1), fy = Math.min(255, (int) Math.round((s - y0) * 256));
        int r0 = y0 * sw, r1 = y1 * sw;
        for (int x = 0; x < w; x++) {
          int a = px[r0 + x0[x]], b = px[r0 + x1[x]], c = px[r1 + x0[x]], d = px[r1 + x1[x]];
          out[y * w + x] = lerpPacked(a, b, c, d, fx[x], fy);
        }
      }
    });
    return out;
  }

  /** Bilinear mix of four ARGB pixels, two channels per multiply (R,B then A,G packed 16 bits apart). */
  private static int lerpPacked(int a, int b, int c, int d, int fx, int fy) {
    int ix = 256 - fx, iy = 256 - fy;
    int rbTop = ((a & 0xFF00FF) * ix + (b & 0xFF00FF) * fx) >>> 8 & 0xFF00FF;
    int rbBottom = ((c & 0xFF00FF) * ix + (d & 0xFF00FF) * fx) >>> 8 & 0xFF00FF;
    int agTop = ((a >>> 8 & 0xFF00FF) * ix + (b >>> 8 & 0xFF00FF) * fx) >>> 8 & 0xFF00FF;
    int agBottom = ((c >>> 8 & 0xFF00FF) * ix + (d >>> 8 & 0xFF00FF) * fx) >>> 8 & 0xFF00FF;
    int rb = (rbTop * iy + rbBottom * fy + 0x800080) >>> 8 & 0xFF00FF;
    int ag = (agTop * iy + agBottom * fy + 0x800080) >>> 8 & 0xFF00FF;
    return ag << 8 | rb;
  }
}
