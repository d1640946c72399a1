package io.imagegate.provider.local;

import io.imagegate.provider.local.PromptStyle.Art;
import io.imagegate.provider.local.PromptStyle.Time;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Image-to-image: input 0 cover-fitted to the output size, colour-graded toward the prompt (night
 * turns dark blue, sunset warm orange, cyberpunk neon), lit by overlays (moon and stars, low sun,
 * neon glows), weather and art style as for text-to-image, other inputs inset as small references.
 * With a mask, the result is blended back over the fitted input by the mask's alpha: alpha 255 keeps
 * the input pixel exactly, alpha 0 takes the restyled one.
 */
final class ImageRestyler {
  private ImageRestyler() {}

  static BufferedImage restyle(LocalRenderRequest r, PromptStyle style, long seed, boolean alpha) {
    int w = r.width(), h = r.height();
    int[] fitted = fitted(r.inputs().get(0), w, h, alpha);
    Canvas c = new Canvas(w, h, r.quality());
    System.arraycopy(fitted, 0, c.px, 0, fitted.length);
    Palette pal = new Palette(style);
    Scene sc = new Scene(c, style, pal, seed, alpha);
    grade(c, Grade.of(style, pal));
    if (style.art == Art.CYBERPUNK) neonEdges(c, fitted, pal.neonA, pal.neonB);
    overlays(sc);
    Weather.draw(sc);
    insets(sc, r.inputs());
    c.dispose();
    if (style.art == Art.PIXEL) pixelate(c, Math.max(2, Math.min(w, h) / 128));
    else StyleFilters.finish(sc);
    if (r.mask() != null) {
      BufferedImage in = r.inputs().get(0);
      applyMask(c.px, fitted, maskAlpha(r.mask(), in.getWidth(), in.getHeight(), w, h));
    }
    return c.toImage(alpha);
  }

  /** Input 0 as the output is built from it: cover-fitted and, without alpha, flattened onto white. */
  static int[] fitted(BufferedImage input, int w, int h, boolean alpha) {
    int[] px = Fit.cover(input, w, h);
    if (!alpha) {
      for (int i = 0; i < px.length; i++) {
        int p = px[i];
        if (p >>> 24 != 255) px[i] = Rgb.over(0xFFFFFFFF, p & 0xFFFFFF, p >>> 24);
      }
    }
    return px;
  }

  /**
   * The mask's coverage (0..255) per output pixel: stretched to the input's size, then fitted like the
   * input. A mask without alpha uses inverted luminance (white = edit), the usual inpainting convention.
   */
  static int[] maskAlpha(BufferedImage mask, int inW, int inH, int w, int h) {
    int mw = mask.getWidth(), mh = mask.getHeight();
    int[] px = Fit.argb(mask);
    boolean hasAlpha = mask.getColorModel().hasAlpha();
    for (int i = 0; i < px.length; i++) {
      int a = hasAlpha ? px[i] >>> 24 : 255 - Rgb.luma(px[i]);
      px[i] = a * 0x01010101;
    }
    px = Fit.cover(Fit.stretch(px, mw, mh, inW, inH), inW, inH, w, h);
    for (int i = 0; i < px.length; i++) px[i] = px[i] >>> 24;
    return px;
  }

  static void applyMask(int[] out, int[] fitted, int[] keep) {
    for (int i = 0; i < out.length; i++) {
      int k = keep[i];
      if (k == 255) out[i] = fitted[i];
      else if (k > 0) out[i] = lerp(out[i], fitted[i], k);
    }
  }

  private static int lerp(int a, int b, int t) {
    int out = 0;
    for (int s = 0; s < 32; s += 8) {
      int ca = a >>> s & 0xFF, cb = b >>> s & 0xFF;
      out |= (ca + ((cb - ca) * t + 127) / 255) << s;
    }
    return out;
  }

  /** How to recolour: per-channel gain/contrast, saturation, and a gradient map blended in by luminance. */
  record Grade(double gain, double contrast, double saturation, int[] ramp, double amount) {
    static Grade of(PromptStyle s, Palette p) {
      double gain = 1, contrast = 1, sat = 1, amount = 0.2;
      int[] ramp = {Rgb.scale(p.skyTop, 0.4), p.skyMid, Rgb.mix(p.skyLow, 0xFFFFFF, 0.5)};
      if (s.timeGiven) {
        switch (s.time) {
          case NIGHT -> { ramp = new int[] {0x02040C, 0x1A2E5A, 0x9AB4E8}; amount = 0.55; gain = 0.62; sat = 0.6; }
          case SUNSET -> { ramp = new int[] {0x2A0A20, 0xD0603A, 0xFFE0A0}; amount = 0.45; sat = 1.1; }
          case SUNRISE -> { ramp = new int[] {0x1A1030, 0xE89090, 0xFFF0C8}; amount = 0.4; }
          case DAY -> { ramp = new int[] {0x102040, 0x8AA0B0, 0xFFFCF0}; amount = 0.15; gain = 1.08; }
        }
      }
      switch (s.art) {
        case CYBERPUNK -> { ramp = new int[] {0x0A0020, 0x9A1A8A, 0x40F0FF}; amount = Math.max(amount, 0.55);
          contrast = 1.25; sat = 1.3; gain = Math.min(gain, 0.8); }
        case WATERCOLOR -> { contrast = 0.85; sat = 0.8; gain *= 1.05; }
        case OIL -> sat = 1.3;
        default -> { }
      }
      if (s.storm || s.rain) { gain *= 0.8; sat *= 0.7; }
      if (s.snow) { ramp[2] = 0xF0F6FF; gain *= 1.05; }
      if (!s.accents.isEmpty()) { ramp[1] = Rgb.mix(ramp[1], s.accents.get(0), 0.6); amount = Math.max(amount, 0.4); }
      if (s.time == Time.NIGHT && s.art == Art.CYBERPUNK) ramp = new int[] {0x04000C, 0x4A1470, 0x30E8FF};
      return new Grade(gain, contrast, sat, ramp, amount);
    }
  }

  static void grade(Canvas c, Grade gr) {
    int[] ch = new int[256];
    for (int i = 0; i < 256; i++) ch[i] = Rgb.clamp((int) Math.round(((i - 128) * gr.contrast() + 128) * gr.gain()));
    int[] map = new int[256];
    for (int i = 0; i < 256; i++) {
      double t = i / 255.0;
      map[i] = t < 0.5 ? Rgb.mix(gr.ramp()[0], gr.ramp()[1], t * 2) : Rgb.mix(gr.ramp()[1], gr.ramp()[2], t * 2 - 1);
    }
    int sat = (int) Math.round(gr.saturation() * 256), amt = (int) Math.round(gr.amount() * 256);
    int[] px = c.px;
    c.bands((y0, y1) -> {
      for (int i = y0 * c.w; i < y1 * c.w; i++) {
        int p = px[i];
        int r = ch[p >> 16 & 0xFF], g = ch[p >> 8 & 0xFF], b = ch[p & 0xFF];
        int l = (r * 77 + g * 150 + b * 29) >> 8;
        r = l + ((r - l) * sat >> 8);
        g = l + ((g - l) * sat >> 8);
        b = l + ((b - l) * sat >> 8);
        int m = map[l];
        r += ((m >> 16 & 0xFF) - r) * amt >> 8;
        g += ((m >> 8 & 0xFF) - g) * amt >> 8;
        b += ((m & 0xFF) - b) * amt >> 8;
        px[i] = p & 0xFF000000 | Rgb.clamp(r) << 16 | Rgb.clamp(g) << 8 | Rgb.clamp(b);
      }
    });
  }

  /**
   * Neon outlines: where the input's luminance changes, add magenta (upper half) fading to cyan (lower
   * half), so edges glow like signage while the rest stays dark.
   */
  static void neonEdges(Canvas c, int[] input, int top, int bottom) {
    int w = c.w, h = c.h;
    int reach = Math.max(1, Math.min(w, h) / 400);
    int[] px = c.px;
    short[] lum = new short[w * h];
    c.bands((y0, y1) -> {
      for (int i = y0 * w; i < y1 * w; i++) lum[i] = (short) Rgb.luma(input[i]);
    });
    c.bands((y0, y1) -> {
      for (int y = y0; y < y1; y++) {
        int up = Math.max(0, y - reach) * w, down = Math.min(h - 1, y + reach) * w, row = y * w;
        int colour = Rgb.mix(top, bottom, (double) y / Math.max(1, h - 1));
        for (int x = 0; x < w; x++) {
          int gx = lum[row + Math.min(w - 1, x + reach)] - lum[row + Math.max(0, x - reach)];
          int gy = lum[down + x] - lum[up + x];
          int e = Math.abs(gx) + Math.abs(gy) - 24;
          if (e > 0) px[row + x] = Rgb.add(px[row + x], colour, Math.min(255, e * 3)) & 0xFFFFFF | px[row + x] & 0xFF000000;
        }
      }
    });
  }

  /** Light that says what changed: moon and stars, a low warm sun, neon glows. */
  private static void overlays(Scene sc) {
    SplittableRandom r = sc.random(50);
    PromptStyle s = sc.style;
    Canvas c = sc.c;
    double x = sc.w * (r.nextBoolean() ? 0.15 + 0.15 * r.nextDouble() : 0.7 + 0.15 * r.nextDouble());
    if (s.art == Art.CYBERPUNK) {
      c.glow(0, sc.h, sc.unit * 0.9, sc.pal.neonA, 0.5, sc.h);
      c.glow(sc.w, 0, sc.unit * 0.8, sc.pal.neonB, 0.4, sc.h);
      c.glow(x, sc.h * (0.3 + 0.4 * r.nextDouble()), sc.unit * 0.3, r.nextBoolean() ? sc.pal.neonA : sc.pal.neonB, 0.35, sc.h);
    }
    if (!s.timeGiven) return;
    switch (s.time) {
      case NIGHT -> {
        double y = sc.h * (0.1 + 0.08 * r.nextDouble()), mr = sc.unit * 0.04;
        c.glow(x, y, sc.unit * 0.3, 0x8090C8, 0.45, sc.h);
        Graphics2D g = c.g();
        g.setColor(new Color(0xF2F2E4));
        g.fill(new java.awt.geom.Ellipse2D.Double(x - mr, y - mr, 2 * mr, 2 * mr));
        stars(sc, r);
      }
      case SUNSET, SUNRISE -> c.glow(x, sc.h * 0.35, sc.unit * 0.9, s.time == Time.SUNSET ? 0xFF7A20 : 0xFFA080, 0.55, sc.h);
      case DAY -> c.glow(x, 0, sc.unit * 0.8, 0xFFF4D0, 0.3, sc.h);
    }
  }

  /** Stars only where the graded picture is dark sky-like: upper half, low luminance. */
  private static void stars(Scene sc, SplittableRandom r) {
    int n = sc.count(300, 30);
    int[] px = sc.c.px;
    for (int i = 0; i < n; i++) {
      int x = r.nextInt(sc.w), y = r.nextInt(Math.max(1, sc.h / 2));
      int k = y * sc.w + x;
      if (Rgb.luma(px[k]) < 60 && px[k] >>> 24 > 0) px[k] = Rgb.over(px[k], 0xFFFFFF, 120 + r.nextInt(136));
    }
  }

  /** Other inputs as small framed references along the bottom-right edge. */
  private static void insets(Scene sc, List<BufferedImage> inputs) {
    if (inputs.size() < 2) return;
    Graphics2D g = sc.c.g();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    double th = sc.h / 5.0, margin = sc.unit * 0.03, border = Math.max(1, sc.unit * 0.006);
    double right = sc.w - margin;
    for (int i = 1; i < inputs.size() && right > margin; i++) {
      BufferedImage in = inputs.get(i);
      double tw = th * in.getWidth() / Math.max(1, in.getHeight());
      double x = right - tw, y = sc.h - margin - th;
      g.setColor(Color.WHITE);
      g.fill(new Rectangle2D.Double(x - border, y - border, tw + 2 * border, th + 2 * border));
      g.drawImage(in, (int) x, (int) y, (int) Math.round(tw), (int) Math.round(th), null);
      right = x - border * 2 - margin / 2;
    }
  }

  private static void pixelate(Canvas c, int block) {
    int sw = (c.w + block - 1) / block, sh = (c.h + block - 1) / block;
    Canvas small = new Canvas(sw, sh, c.quality, false);
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < sw; x++) small.px[y * sw + x] = c.px[Math.min(c.h - 1, y * block + block / 2) * c.w
          + Math.min(c.w - 1, x * block + block / 2)];
    }
    StyleFilters.posterize(small, 6);
    LocalEngine.upscale(small.px, sw, block, c.px, c.w, c.h);
  }
}
