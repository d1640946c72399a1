package io.imagegate.provider.local;

import io.imagegate.api.Quality;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A straight-alpha ARGB picture drawn two ways: whole-image passes straight on the {@code int[]} (fast at
 * 4K), shapes through Java2D on the same pixels. Not thread-safe; one per render.
 */
final class Canvas {
  final int w, h;
  final int[] px;
  final BufferedImage image;
  final Quality quality;
  /** Smooth edges: off at LOW quality and for pixel art. */
  final boolean aa;
  private Graphics2D g;

  Canvas(int w, int h, Quality quality) {
    this(w, h, quality, quality != Quality.LOW);
  }

  Canvas(int w, int h, Quality quality, boolean antialias) {
    this.w = w;
    this.h = h;
    this.quality = quality;
    this.aa = antialias;
    this.image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    this.px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
  }

  /** Java2D on the same pixels; antialiased when {@link #aa}. */
  Graphics2D g() {
    if (g == null) {
      g = image.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING,
          aa ? RenderingHints.VALUE_ANTIALIAS_ON : RenderingHints.VALUE_ANTIALIAS_OFF);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
      g.setComposite(AlphaComposite.SrcOver);
    }
    return g;
  }

  void dispose() {
    if (g != null) g.dispose();
    g = null;
  }

  /** Runs {@code body(y0, y1)} over horizontal bands, in parallel for big pictures; bands must be independent. */
  void bands(RowBody body) {
    forBands(w, h, body);
  }

  static void forBands(int w, int h, RowBody body) {
    long pixels = (long) w * h;
    if (pixels < 600_000) {
      body.rows(0, h);
      return;
    }
    int n = 8;
    int step = (h + n - 1) / n;
    IntStream.range(0, n).parallel().forEach(i -> body.rows(Math.min(h, i * step), Math.min(h, (i + 1) * step)));
  }

  interface RowBody {
    void rows(int y0, int y1);
  }

  /** Fills rows {@code y0..y1} with a vertical gradient through {@code colours} placed at {@code stops} (0..1 over the span). */
  void verticalGradient(int y0, int y1, int[] colours, double[] stops) {
    y0 = Math.max(0, y0);
    y1 = Math.min(h, y1);
    double span = Math.max(1, y1 - y0 - 1);
    for (int y = y0; y < y1; y++) {
      double t = (y - y0) / span;
      int k = 0;
      while (k < stops.length - 2 && t > stops[k + 1]) k++;
      double u = (t - stops[k]) / Math.max(1e-9, stops[k + 1] - stops[k]);
      int c = Rgb.mix(colours[k], colours[k + 1], Math.max(0, Math.min(1, u)));
      Arrays.fill(px, y * w, y * w + w, c);
    }
  }

  void clear(int argb) {
    Arrays.fill(px, argb);
  }

  /** Additive radial glow, brightest at the centre; {@code strength} 0..1. Only rows before {@code yMax}. */
  void glow(double cx, double cy, double radius, int colour, double strength, int yMax) {
    // falloff (1-d)^4 by squared distance, pre-multiplied into per-channel tables
    int n = 4096;
    int[] lr = new int[n], lg = new int[n], lb = new int[n];
    int last = 0;
    for (int i = 0; i < n; i++) {
      double d = Math.sqrt(i / (double) n), f = (1 - d) * (1 - d);
      int a = (int) Math.round(255 * strength * f * f);
      lr[i] = Rgb.r(colour) * a >> 8;
      lg[i] = Rgb.g(colour) * a >> 8;
      lb[i] = Rgb.b(colour) * a >> 8;
      if ((lr[i] | lg[i] | lb[i]) != 0) last = i;
    }
    // the faint rim adds nothing visible: shrink the circle to where the table is non-zero
    double reach = radius * Math.sqrt((last + 1) / (double) n);
    int x0 = Math.max(0, (int) Math.floor(cx - reach)), x1 = Math.min(w, (int) Math.ceil(cx + reach));
    int y0 = Math.max(0, (int) Math.floor(cy - reach)), y1 = Math.min(Math.min(h, yMax), (int) Math.ceil(cy + reach));
    if (x0 >= x1 || y0 >= y1) return;
    double inv = n / (radius * radius);
    double[] dx2 = new double[x1 - x0];
    for (int x = x0; x < x1; x++) dx2[x - x0] = (x - cx) * (x - cx) * inv;
    for (int y = y0; y < y1; y++) {
      double dy2 = (y - cy) * (y - cy);
      if (dy2 >= reach * reach) continue;
      int row = y * w;
      // only the chord of the circle on this row
      double half = Math.sqrt(reach * reach - dy2);
      int xa = Math.max(x0, (int) Math.floor(cx - half)), xb = Math.min(x1, (int) Math.ceil(cx + half) + 1);
      double dyi = dy2 * inv;
      for (int x = xa; x < xb; x++) {
        int idx = (int) (dx2[x - x0] + dyi);
        if (idx >= n) continue;
        int p = px[row + x];
        int r = Math.min(255, (p >> 16 & 0xFF) + lr[idx]), g = Math.min(255, (p >> 8 & 0xFF) + lg[idx]);
        int b = Math.min(255, (p & 0xFF) + lb[idx]);
        px[row + x] = p & 0xFF000000 | r << 16 | g << 8 | b;
      }
    }
  }

  /**
   * Fills everything below a per-column outline: column x is covered from {@code top[x]} (sub-pixel, in
   * pixels) down to {@code bottom}, shaded from {@code cTop} at {@code yTop} to {@code cBottom} at bottom.
   * The outline edge is antialiased unless quality is LOW.
   */
  void fillBelow(float[] top, int bottom, int cTop, int cBottom) {
    bottom = Math.min(h, bottom);
    float min = Float.MAX_VALUE;
    for (float t : top) min = Math.min(min, t);
    int y0 = Math.max(0, (int) Math.floor(min));
    int[] topFp = new int[w];
    for (int x = 0; x < w; x++) topFp[x] = Math.round(top[x] * 256);
    double span = Math.max(1, bottom - y0);
    for (int y = y0; y < bottom; y++) {
      int c = Rgb.mix(cTop, cBottom, (y - y0) / span);
      int row = y * w;
      int yEnd = (y + 1) << 8;
      for (int x = 0; x < w; x++) {
        int cover = yEnd - topFp[x];
        if (cover >= 256) {
          px[row + x] = c;
        } else if (cover > 0) {
          px[row + x] = aa ? Rgb.over(px[row + x], c & 0xFFFFFF, cover) : cover >= 128 ? c : px[row + x];
        }
      }
    }
  }

  /**
   * Fills, column by column, from {@code top[x]} (sub-pixel, antialiased unless LOW) down to
   * {@code bottom[x]} with one colour; columns where bottom is not below top are skipped.
   */
  void fillBetween(float[] top, float[] bottom, int colour) {
    float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
    for (int x = 0; x < w; x++) {
      if (bottom[x] > top[x]) {
        min = Math.min(min, top[x]);
        max = Math.max(max, bottom[x]);
      }
    }
    if (min > max) return;
    int y0 = Math.max(0, (int) Math.floor(min)), y1 = Math.min(h, (int) Math.ceil(max));
    int c = colour | 0xFF000000;
    for (int y = y0; y < y1; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        float t = top[x];
        if (bottom[x] <= t || y >= bottom[x] || y + 1 <= t) continue;
        float cover = Math.min(1f, y + 1 - t);
        if (cover >= 1f) px[row + x] = c;
        else if (aa) px[row + x] = Rgb.over(px[row + x], colour & 0xFFFFFF, (int) (cover * 255));
        else if (cover >= 0.5f) px[row + x] = c;
      }
    }
  }

  /** Fills a clipped rectangle with an opaque colour, or blends it at {@code alpha} (0..255). */
  void rect(int x0, int y0, int x1, int y1, int colour, int alpha) {
    x0 = Math.max(0, x0);
    y0 = Math.max(0, y0);
    x1 = Math.min(w, x1);
    y1 = Math.min(h, y1);
    if (x0 >= x1) return;
    for (int y = y0; y < y1; y++) {
      int row = y * w;
      if (alpha >= 255) {
        Arrays.fill(px, row + x0, row + x1, colour | 0xFF000000);
      } else {
        for (int x = x0; x < x1; x++) px[row + x] = Rgb.over(px[row + x], colour & 0xFFFFFF, alpha);
      }
    }
  }

  /** A small soft disc (snowflake, dust), blended at {@code alpha}; edges antialiased when {@link #aa}. */
  void disc(double cx, double cy, double r, int colour, int alpha) {
    int x0 = Math.max(0, (int) Math.floor(cx - r - 1)), x1 = Math.min(w, (int) Math.ceil(cx + r + 1));
    int y0 = Math.max(0, (int) Math.floor(cy - r - 1)), y1 = Math.min(h, (int) Math.ceil(cy + r + 1));
    int rgb = colour & 0xFFFFFF;
    for (int y = y0; y < y1; y++) {
      double dy = y + 0.5 - cy;
      for (int x = x0; x < x1; x++) {
        double dx = x + 0.5 - cx;
        double cover = r + 0.5 - Math.sqrt(dx * dx + dy * dy);
        if (cover <= 0) continue;
        int a = cover >= 1 ? alpha : aa ? (int) (alpha * cover) : cover >= 0.5 ? alpha : 0;
        px[y * w + x] = Rgb.over(px[y * w + x], rgb, a);
      }
    }
  }

  /**
   * A thin falling streak (rain) from (x, y) going down {@code len} pixels and sideways {@code dx} over
   * that length, {@code thick} pixels wide, fading in from the top.
   */
  void streak(double x, double y, double dx, double len, int thick, int colour, int alpha) {
    int rgb = colour & 0xFFFFFF;
    int y0 = Math.max(0, (int) y), y1 = Math.min(h, (int) (y + len));
    for (int yy = y0; yy < y1; yy++) {
      double t = (yy - y) / len;
      int a = (int) (alpha * Math.min(1, t * 2));
      int xx = (int) (x + dx * t);
      for (int k = 0; k < thick; k++) {
        int xk = xx + k;
        if (xk >= 0 && xk < w) px[yy * w + xk] = Rgb.over(px[yy * w + xk], rgb, a);
      }
    }
  }

  /** The picture, with or without its alpha channel, sharing these pixels. */
  BufferedImage toImage(boolean alpha) {
    dispose();
    if (alpha) return image;
    DirectColorModel cm = new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
    WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(px, px.length), w, h, w,
        new int[] {0xFF0000, 0xFF00, 0xFF}, null);
    return new BufferedImage(cm, raster, false, null);
  }
}
