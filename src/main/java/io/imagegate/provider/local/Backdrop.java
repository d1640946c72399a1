package io.imagegate.provider.local;

import io.imagegate.provider.local.PromptStyle.Art;
import io.imagegate.provider.local.PromptStyle.Setting;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.SplittableRandom;

/**
 * The setting: horizon silhouettes (via {@link Skyline}), then the ground or water below the horizon
 * and its details: waves and a glittering light path, a beach, a lunar surface, a neon grid.
 */
final class Backdrop {
  private Backdrop() {}

  /** Where the subject stands: the top of the foreground (below any sea band). */
  static int foregroundTop(Scene sc) {
    PromptStyle s = sc.style;
    boolean landSubject = switch (s.subject) { case BOAT, BIRD, ORB, NONE -> false; default -> true; };
    if (s.has(Setting.OCEAN) && !s.has(Setting.BEACH) && !landSubject) return sc.h;
    if (s.has(Setting.OCEAN) || s.has(Setting.BEACH)) return sc.horizon + (int) ((sc.h - sc.horizon) * 0.38);
    return sc.horizon;
  }

  static void draw(Scene sc) {
    PromptStyle s = sc.style;
    if (s.has(Setting.SPACE)) {
      lunarGround(sc);
      return;
    }
    int grass = s.autumn ? 0xB07A32 : s.has(Setting.FOREST) ? 0x3E7A38 : 0x5E9A40;
    if (s.snow) grass = 0xDCE6F2;
    int sand = 0xE0BC80;
    if (s.has(Setting.MOUNTAIN)) Skyline.mountains(sc);
    if (s.has(Setting.DESERT)) Skyline.dunes(sc, sand);
    else if (s.has(Setting.FIELD) || s.has(Setting.MOUNTAIN)) Skyline.hills(sc, grass);
    if (s.has(Setting.FOREST)) Skyline.forest(sc, s.snow ? 0x2E4A44 : s.autumn ? 0x8A4A20 : 0x1E4A2A);
    if (s.has(Setting.CITY)) Skyline.city(sc);

    int near, far;
    if (s.art == Art.CYBERPUNK) { far = 0x2A1440; near = 0x0A0612; }
    else if (s.snow) { far = 0xE4ECF6; near = 0xC8D4E6; }
    else if (s.has(Setting.CITY)) { far = 0x6A6A78; near = 0x34343E; }
    else if (s.has(Setting.DESERT)) { far = 0xE4C48C; near = 0xC8965A; }
    else if (s.has(Setting.BEACH)) { far = 0xEED8A8; near = 0xD8BC88; }
    else { far = Rgb.scale(grass, 0.95); near = Rgb.scale(grass, 0.62); }
    int top = foregroundTop(sc);
    Palette p = sc.pal;
    if (top > sc.horizon) sea(sc, top);
    if (top < sc.h) {
      sc.c.verticalGradient(top, sc.h, new int[] {p.lit(far), p.lit(near)}, new double[] {0, 1});
      if (top > sc.horizon) shore(sc, top);
    }
    if (s.art == Art.CYBERPUNK) grid(sc, top);
    else if (!sc.lowQuality() && !s.has(Setting.CITY) && !s.has(Setting.BEACH) && !s.has(Setting.OCEAN) && !s.has(Setting.DESERT)) {
      tufts(sc, top, near);
    }
  }

  private static void sea(Scene sc, int bottom) {
    Palette p = sc.pal;
    int farC = Rgb.mix(p.water, p.skyLow, 0.5), nearC = Rgb.scale(p.water, 0.75);
    sc.c.verticalGradient(sc.horizon, bottom, new int[] {farC, nearC}, new double[] {0, 1});
    SplittableRandom r = sc.random(20);
    int hl = Rgb.mix(p.water, p.skyLow, 0.85);
    int rows = (int) (14 * sc.detail) + 6;
    for (int k = 1; k <= rows; k++) {
      double t = (double) k / rows;
      int y = sc.horizon + (int) ((bottom - sc.horizon) * t * t);
      int len = (int) (sc.unit * (0.01 + 0.05 * t)), thick = Math.max(1, (int) (sc.unit * 0.0025 * (0.5 + t)));
      int n = (int) (sc.w / (sc.unit * 0.08)) + 2;
      for (int i = 0; i < n; i++) {
        int x = r.nextInt(sc.w);
        sc.c.rect(x, y, x + len, y + thick, hl, 150);
      }
    }
    if (!p.night || sc.style.time == PromptStyle.Time.NIGHT) {
      // the light's path on the water
      int col = sc.style.has(Setting.SPACE) ? hl : Rgb.mix(p.sun, p.glow, 0.4);
      int n = (int) (40 * sc.detail) + 10;
      for (int i = 0; i < n; i++) {
        double t = r.nextDouble();
        int y = sc.horizon + (int) ((bottom - sc.horizon) * t);
        int half = (int) (sc.lightR * (0.4 + 1.6 * t) * (0.5 + r.nextDouble()));
        int x = (int) (sc.lightX + (r.nextDouble() - 0.5) * sc.lightR * 2 * (0.5 + t));
        sc.c.rect(x - half, y, x + half, y + Math.max(1, (int) (sc.unit * 0.003)), col, 200);
      }
    }
  }

  private static void shore(Scene sc, int top) {
    // a wavy line of foam where the water meets the sand
    float[] a = new float[sc.w], b = new float[sc.w];
    double f = 9 * Math.PI / sc.w;
    for (int x = 0; x < sc.w; x++) {
      a[x] = (float) (top - sc.unit * (0.006 + 0.005 * StrictMath.sin(x * f + sc.seed % 7)));
      b[x] = (float) (top + sc.unit * 0.006);
    }
    sc.c.fillBetween(a, b, sc.pal.lit(0xF4F8FA, 0.7));
  }

  private static void tufts(Scene sc, int top, int near) {
    SplittableRandom r = sc.random(21);
    int n = sc.count(350, 30);
    int dark = sc.pal.lit(Rgb.scale(near, 0.7)), light = sc.pal.lit(Rgb.mix(near, 0xFFFFFF, 0.2));
    int bw = Math.max(1, (int) (sc.unit / 700));
    for (int i = 0; i < n; i++) {
      double t = r.nextDouble();
      int y = top + (int) ((sc.h - top) * Math.sqrt(t));
      int x = r.nextInt(sc.w);
      int len = (int) (sc.unit * 0.02 * (0.3 + t));
      int col = r.nextBoolean() ? dark : light;
      for (int blade = -1; blade <= 1; blade++) {
        for (int k = 0; k < len; k++) {
          int xx = x + blade * (k * bw * 2 / Math.max(1, len)) + blade * bw * 2;
          sc.c.rect(xx, y - k, xx + bw, y - k + 1, col, 255);
        }
      }
    }
  }

  private static void grid(Scene sc, int top) {
    Graphics2D g = sc.c.g();
    Palette p = sc.pal;
    float thin = (float) Math.max(1, sc.unit * 0.0018), wide = thin * 5;
    int lines = sc.lowQuality() ? 8 : 14;
    double vx = sc.w / 2.0;
    for (int pass = 0; pass < (sc.lowQuality() ? 1 : 2); pass++) {
      boolean halo = pass == 0 && !sc.lowQuality();
      g.setStroke(new BasicStroke(halo ? wide : thin));
      g.setColor(halo ? new Color(p.neonA & 0xFFFFFF | 0x50000000, true) : new Color(Rgb.mix(p.neonA, 0xFFFFFF, 0.3)));
      for (int k = 1; k <= lines; k++) {
        double t = (double) k / lines;
        double y = top + (sc.h - top) * StrictMath.pow(t, 2.2);
        g.draw(new Line2D.Double(0, y, sc.w, y));
      }
      for (int j = -lines; j <= lines; j++) {
        g.draw(new Line2D.Double(vx, top, vx + j * sc.w * 0.12, sc.h + 2));
      }
    }
  }

  static void planet(Scene sc) {
    SplittableRandom r = sc.random(22);
    Palette p = sc.pal;
    if (!sc.transparent) {
      // nebula clouds
      int n = sc.lowQuality() ? 2 : 4;
      for (int i = 0; i < n; i++) {
        int col = i % 2 == 0 ? 0x7A2A9A : 0x2A5AAA;
        sc.c.glow(r.nextDouble() * sc.w, r.nextDouble() * sc.horizon, sc.unit * (0.25 + 0.2 * r.nextDouble()), col, 0.5, sc.horizon);
      }
    }
    Graphics2D g = sc.c.g();
    double pr = sc.unit * (0.12 + 0.06 * r.nextDouble());
    double cx = sc.lightX, cy = sc.horizon * 0.38;
    int base = sc.style.accents.isEmpty() ? (r.nextBoolean() ? 0xD88A4A : 0x4A8AD8) : sc.style.accents.get(0);
    g.setPaint(new java.awt.GradientPaint((float) (cx - pr), (float) (cy - pr), new Color(Rgb.mix(base, 0xFFFFFF, 0.3)),
        (float) (cx + pr), (float) (cy + pr), new Color(Rgb.scale(base, 0.25))));
    g.fill(new Ellipse2D.Double(cx - pr, cy - pr, 2 * pr, 2 * pr));
    g.setStroke(new BasicStroke((float) (pr * 0.08)));
    g.setColor(new Color(Rgb.mix(base, 0xFFFFFF, 0.5) & 0xFFFFFF | 0xB0000000, true));
    g.draw(new Ellipse2D.Double(cx - pr * 1.9, cy - pr * 0.35, pr * 3.8, pr * 0.7));
  }

  private static void lunarGround(Scene sc) {
    Palette p = sc.pal;
    SplittableRandom r = sc.random(23);
    float[] top = new float[sc.w];
    double f = 3 * Math.PI / sc.w, ph = r.nextDouble() * 6;
    for (int x = 0; x < sc.w; x++) top[x] = (float) (sc.horizon - sc.unit * 0.02 * (1 + StrictMath.sin(x * f + ph)));
    sc.c.fillBelow(top, sc.h, p.lit(0x9A9AA4, 0.6), p.lit(0x4A4A54, 0.6));
    Graphics2D g = sc.c.g();
    int n = (int) (6 * sc.detail) + 3;
    for (int i = 0; i < n; i++) {
      double t = r.nextDouble();
      double y = sc.horizon + (sc.h - sc.horizon) * (0.1 + 0.85 * t);
      double rw = sc.unit * (0.03 + 0.08 * t) * (0.5 + r.nextDouble()), x = r.nextDouble() * sc.w;
      g.setColor(new Color(p.lit(0x5A5A64, 0.6)));
      g.fill(new Ellipse2D.Double(x - rw, y - rw * 0.25, 2 * rw, rw * 0.5));
      g.setColor(new Color(p.lit(0x3A3A44, 0.6)));
      g.fill(new Ellipse2D.Double(x - rw * 0.85, y - rw * 0.18, 1.7 * rw, rw * 0.4));
    }
  }
}
