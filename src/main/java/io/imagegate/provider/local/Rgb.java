package io.imagegate.provider.local;

/** Small helpers on packed {@code 0xRRGGBB} / {@code 0xAARRGGBB} colours. Pure functions. */
final class Rgb {
  private Rgb() {}

  static int of(int r, int g, int b) {
    return 0xFF000000 | clamp(r) << 16 | clamp(g) << 8 | clamp(b);
  }

  static int clamp(int v) { return v < 0 ? 0 : Math.min(v, 255); }

  static int r(int c) { return c >> 16 & 0xFF; }
  static int g(int c) { return c >> 8 & 0xFF; }
  static int b(int c) { return c & 0xFF; }

  /** Linear mix of two opaque colours, {@code t} in 0..1. */
  static int mix(int a, int b, double t) {
    if (t <= 0) return a | 0xFF000000;
    if (t >= 1) return b | 0xFF000000;
    return of((int) Math.round(r(a) + (r(b) - r(a)) * t),
        (int) Math.round(g(a) + (g(b) - g(a)) * t),
        (int) Math.round(b(a) + (b(b) - b(a)) * t));
  }

  static int scale(int c, double f) {
    return of((int) Math.round(r(c) * f), (int) Math.round(g(c) * f), (int) Math.round(b(c) * f));
  }

  /** Rec.601 luma, 0..255. */
  static int luma(int c) { return (r(c) * 77 + g(c) * 150 + b(c) * 29) >> 8; }

  /** Pushes saturation away from (f > 1) or toward (f < 1) the grey of the same luma. */
  static int saturate(int c, double f) {
    int l = luma(c);
    return of((int) Math.round(l + (r(c) - l) * f), (int) Math.round(l + (g(c) - l) * f),
        (int) Math.round(l + (b(c) - l) * f));
  }

  /** Rotates the hue by {@code deg} degrees in the YIQ plane; cheap and good enough for palettes. */
  static int hueShift(int c, double deg) {
    double rad = Math.toRadians(deg), cos = StrictMath.cos(rad), sin = StrictMath.sin(rad);
    double y = 0.299 * r(c) + 0.587 * g(c) + 0.114 * b(c);
    double i = 0.596 * r(c) - 0.274 * g(c) - 0.322 * b(c);
    double q = 0.211 * r(c) - 0.523 * g(c) + 0.312 * b(c);
    double i2 = i * cos - q * sin, q2 = i * sin + q * cos;
    return of((int) Math.round(y + 0.956 * i2 + 0.621 * q2), (int) Math.round(y - 0.272 * i2 - 0.647 * q2),
        (int) Math.round(y - 1.106 * i2 + 1.703 * q2));
  }

  static int withAlpha(int c, int a) { return (a & 0xFF) << 24 | (c & 0xFFFFFF); }

  /**
   * Source-over of an opaque colour {@code src} at coverage {@code a} (0..255) onto a straight-alpha
   * {@code dst}. The common opaque-destination case is a plain integer lerp.
   */
  static int over(int dst, int src, int a) {
    if (a <= 0) return dst;
    int da = dst >>> 24;
    if (a >= 255) return 0xFF000000 | src;
    if (da == 255) {
      int ia = 255 - a;
      int rb = ((src & 0xFF00FF) * a + (dst & 0xFF00FF) * ia + 0x800080) >> 8 & 0xFF00FF;
      int g = ((src & 0xFF00) * a + (dst & 0xFF00) * ia + 0x8000) >> 8 & 0xFF00;
      return 0xFF000000 | rb | g;
    }
    if (da == 0) return a << 24 | (src & 0xFFFFFF);
    // general straight-alpha source-over
    int oa = a + da * (255 - a) / 255;
    int wd = da * (255 - a) / 255;
    int r = (r(src) * a + r(dst) * wd) / oa;
    int g = (g(src) * a + g(dst) * wd) / oa;
    int b = (b(src) * a + b(dst) * wd) / oa;
    return oa << 24 | r << 16 | g << 8 | b;
  }

  /** Adds {@code src * a/255} to the colour channels of {@code dst}, saturating; alpha raised to cover. */
  static int add(int dst, int src, int a) {
    if (a <= 0) return dst;
    int r = Math.min(255, r(dst) + (r(src) * a >> 8));
    int g = Math.min(255, g(dst) + (g(src) * a >> 8));
    int b = Math.min(255, b(dst) + (b(src) * a >> 8));
    int da = Math.max(dst >>> 24, Math.min(255, a));
    return da << 24 | r << 16 | g << 8 | b;
  }
}
