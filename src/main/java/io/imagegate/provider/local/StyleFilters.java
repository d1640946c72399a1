package io.imagegate.provider.local;

import io.imagegate.provider.local.PromptStyle.Art;

/**
 * Whole-picture finishes, straight on the pixel array and split into row bands: the art style
 * (watercolour wash and paper, oil brush texture, pencil sketch, monochrome, neon scanlines) and, above
 * LOW quality, a soft vignette. Alpha is left as drawn.
 */
final class StyleFilters {
  private StyleFilters() {}

  static void finish(Scene sc) {
    Art art = sc.style.art;
    // texture is drawn only where the style is about the medium (paper, canvas): film grain on a flat
    // illustration would mostly cost PNG size and encode time
    switch (art) {
      case WATERCOLOR -> {
        blur(sc.c, Math.max(1, (int) (sc.unit * 0.003)));
        texture(sc, cell(sc.unit / 64), sc.lowQuality() ? 5 : 8, false);
      }
      case OIL -> texture(sc, cell(sc.unit / 170), sc.lowQuality() ? 8 : 14, true);
      case SKETCH -> sketch(sc.c, sc.unit);
      default -> { }
    }
    boolean mono = art == Art.MONO;
    boolean scan = art == Art.CYBERPUNK && !sc.lowQuality();
    // no vignette over a texture: it would break the texture's repeats that keep the PNG encoder fast
    boolean vignette = !sc.lowQuality() && (art == Art.PLAIN || art == Art.CYBERPUNK || art == Art.MONO);
    if (mono || scan || vignette) tone(sc, mono, scan, vignette);
  }

  /** Greyscale, scanlines and vignette fused into one pass. */
  private static void tone(Scene sc, boolean mono, boolean scan, boolean vignette) {
    Canvas c = sc.c;
    int w = c.w, h = c.h;
    int[] fx = new int[w], fy = new int[h];
    // the horizontal falloff is rounded to steps of 2/256: invisible, but it leaves long runs of equal
    // factors where the ramp is flat, which keeps rows deflating fast (a per-pixel ramp does not)
    for (int x = 0; x < w; x++) fx[x] = vignette ? (falloff(x, w) + 1) / 2 * 2 : 256;
    int period = Math.max(2, (int) (sc.unit / 360));
    for (int y = 0; y < h; y++) fy[y] = (vignette ? falloff(y, h) : 256) * (scan && y % (period * 2) < period ? 228 : 256) >> 8;
    int[] px = c.px;
    c.bands((y0, y1) -> {
      for (int y = y0; y < y1; y++) {
        int row = y * w, ky = fy[y];
        for (int x = 0; x < w; x++) {
          int p = px[row + x];
          if (p >>> 24 == 0) continue;
          int k = fx[x] * ky >> 8;
          int r = p >> 16 & 0xFF, g = p >> 8 & 0xFF, b = p & 0xFF;
          if (mono) {
            int l = (r * 77 + g * 150 + b * 29) >> 8;
            l = Math.max(0, Math.min(255, (l - 128) * 9 / 8 + 128));
            r = g = b = l;
          }
          px[row + x] = p & 0xFF000000 | (r * k >> 8) << 16 | (g * k >> 8) << 8 | (b * k >> 8);
        }
      }
    });
  }

  /** 256 in the middle, down to ~190 at the edges: the two axes multiply into a soft vignette. */
  private static int falloff(int i, int n) {
    double d = (i + 0.5) / n * 2 - 1;
    return (int) Math.round(256 * (1 - 0.13 * d * d * d * d - 0.1 * d * d));
  }

  /** The power of two nearest below {@code px}, 2..64: texture grain that scales with the picture. */
  private static int cell(double px) {
    return Math.max(2, Math.min(64, Integer.highestOneBit((int) Math.max(1, px))));
  }

  /**
   * Adds a tiled, smooth noise texture (paper, canvas, brush) of {@code amp} levels. Tiling keeps the
   * PNG encoder fast: repeated rows of texture are what deflate matches best. {@code strokes} smears
   * it diagonally into brush marks.
   */
  static void texture(Scene sc, int cell, int amp, boolean strokes) {
    int size = Math.max(128, cell * 8), mask = size - 1;
    byte[] tile = Hash.noiseTile(size, cell, sc.style.hash ^ 0x5DEECE66DL);
    Canvas c = sc.c;
    int w = c.w;
    int[] px = c.px;
    c.bands((y0, y1) -> {
      for (int y = y0; y < y1; y++) {
        int row = y * w;
        for (int x = 0; x < w; x++) {
          int p = px[row + x];
          if (p >>> 24 == 0) continue;
          // brush marks: slow along one diagonal, fast across it
          int tx = strokes ? (x + y) >> 2 : x, ty = strokes ? x - y : y;
          // in steps of 4 levels: reads as pigment pooling, and long equal runs deflate far faster
          int n = (tile[(ty & mask) * size + (tx & mask)] * amp >> 7) / 4 * 4;
          int r = Rgb.clamp((p >> 16 & 0xFF) + n), g = Rgb.clamp((p >> 8 & 0xFF) + n), b = Rgb.clamp((p & 0xFF) + n);
          px[row + x] = p & 0xFF000000 | r << 16 | g << 8 | b;
        }
      }
    });
  }

  /**
   * Separable box blur of radius {@code r}, colour channels only: running sums along rows, then running
   * column sums swept down the rows (row-order memory access keeps it fast at 4K).
   */
  static void blur(Canvas c, int r) {
    int w = c.w, h = c.h;
    int[] px = c.px, tmp = new int[px.length];
    c.bands((y0, y1) -> {
      for (int y = y0; y < y1; y++) boxRow(px, tmp, y * w, w, r);
    });
    Canvas.forBands(h, w, (x0, x1) -> boxColumns(tmp, px, w, h, x0, x1, r));
  }

  private static void boxRow(int[] src, int[] dst, int start, int n, int r) {
    int sr = 0, sg = 0, sb = 0, inv = (1 << 20) / (2 * r + 1) + 1;
    for (int i = -r; i <= r; i++) {
      int p = src[start + Math.max(0, Math.min(n - 1, i))];
      sr += p >> 16 & 0xFF; sg += p >> 8 & 0xFF; sb += p & 0xFF;
    }
    for (int i = 0; i < n; i++) {
      // multiply by a fixed-point reciprocal: three divisions per pixel were half the cost
      dst[start + i] = src[start + i] & 0xFF000000 | (sr * inv >> 20) << 16 | (sg * inv >> 20) << 8 | sb * inv >> 20;
      int out = src[start + Math.max(0, i - r)], in = src[start + Math.min(n - 1, i + r + 1)];
      sr += (in >> 16 & 0xFF) - (out >> 16 & 0xFF);
      sg += (in >> 8 & 0xFF) - (out >> 8 & 0xFF);
      sb += (in & 0xFF) - (out & 0xFF);
    }
  }

  private static void boxColumns(int[] src, int[] dst, int w, int h, int x0, int x1, int r) {
    int n = x1 - x0, inv = (1 << 20) / (2 * r + 1) + 1;
    int[] sr = new int[n], sg = new int[n], sb = new int[n];
    for (int i = -r; i <= r; i++) {
      int row = Math.max(0, Math.min(h - 1, i)) * w;
      for (int x = 0; x < n; x++) {
        int p = src[row + x0 + x];
        sr[x] += p >> 16 & 0xFF; sg[x] += p >> 8 & 0xFF; sb[x] += p & 0xFF;
      }
    }
    for (int y = 0; y < h; y++) {
      int row = y * w, out = Math.max(0, y - r) * w, in = Math.min(h - 1, y + r + 1) * w;
      for (int x = 0; x < n; x++) {
        int k = x0 + x;
        dst[row + k] = dst[row + k] & 0xFF000000 | (sr[x] * inv >> 20) << 16 | (sg[x] * inv >> 20) << 8 | sb[x] * inv >> 20;
        int po = src[out + k], pi = src[in + k];
        sr[x] += (pi >> 16 & 0xFF) - (po >> 16 & 0xFF);
        sg[x] += (pi >> 8 & 0xFF) - (po >> 8 & 0xFF);
        sb[x] += (pi & 0xFF) - (po & 0xFF);
      }
    }
  }

  /** Pencil on paper: dark lines where luminance changes, hatching in the shadows. */
  static void sketch(Canvas c, double unit) {
    int w = c.w, h = c.h;
    int[] px = c.px;
    byte[] lum = new byte[w * h];
    c.bands((y0, y1) -> {
      for (int i = y0 * w; i < y1 * w; i++) lum[i] = (byte) Rgb.luma(px[i]);
    });
    int period = Math.max(3, (int) (unit / 120));
    int reach = Math.max(1, (int) (unit / 500));
    c.bands((y0, y1) -> {
      for (int y = y0; y < y1; y++) {
        int up = Math.max(0, y - reach) * w, down = Math.min(h - 1, y + reach) * w, row = y * w;
        for (int x = 0; x < w; x++) {
          int l = lum[row + x] & 0xFF;
          int gx = (lum[row + Math.min(w - 1, x + reach)] & 0xFF) - (lum[row + Math.max(0, x - reach)] & 0xFF);
          int gy = (lum[down + x] & 0xFF) - (lum[up + x] & 0xFF);
          int edge = Math.min(255, (Math.abs(gx) + Math.abs(gy)) * 2);
          int v = 244 - edge;
          if (l < 150 && (x + y) % period == 0) v -= (150 - l) / 2;
          if (l < 80 && (x - y + 4096 * period) % period == 0) v -= (80 - l);
          v = Math.max(30, v);
          int p = px[row + x];
          px[row + x] = p & 0xFF000000 | v << 16 | v << 8 | Math.min(255, v + 4);
        }
      }
    });
  }

  /**
   * Cuts brightness to {@code levels} steps, keeping each pixel's hue (channels scaled together):
   * the flat shading bands of pixel art. Rounding channels one by one instead turns slow grey
   * gradients into stripes of teal and purple.
   */
  static void posterize(Canvas c, int levels) {
    int[] px = c.px;
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      int r = p >> 16 & 0xFF, g = p >> 8 & 0xFF, b = p & 0xFF;
      int l = (r * 77 + g * 150 + b * 29) >> 8;
      if (l == 0) continue;
      int lq = Math.round(Math.round(l * (levels - 1) / 255f) * 255f / (levels - 1));
      r = Math.min(255, r * lq / l) & ~7;
      g = Math.min(255, g * lq / l) & ~7;
      b = Math.min(255, b * lq / l) & ~7;
      px[i] = p & 0xFF000000 | r << 16 | g << 8 | b;
    }
  }
}
