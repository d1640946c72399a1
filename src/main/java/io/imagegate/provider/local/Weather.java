package io.imagegate.provider.local;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.util.SplittableRandom;

/** Weather over the finished scene: fog banks, rain streaks, snowflakes and a lightning bolt. */
final class Weather {
  private Weather() {}

  /** Everything: for edits, where there is no subject to keep in front. */
  static void draw(Scene sc) {
    behind(sc);
    front(sc);
  }

  /** Fog and lightning sit between the backdrop and the subject, so the subject stays crisp. */
  static void behind(Scene sc) {
    if (sc.style.fog) fog(sc);
    if (sc.style.storm) lightning(sc);
  }

  /** Rain and snow fall in front of everything. */
  static void front(Scene sc) {
    if (sc.style.rain) rain(sc);
    if (sc.style.snow) snow(sc);
  }

  /** Fog thickest at the horizon, thinning up and down; one blend per pixel with a per-row amount. */
  static void fog(Scene sc) {
    int[] amount = new int[sc.h];
    double spread = sc.h * 0.35;
    for (int y = 0; y < sc.h; y++) {
      double d = (y - sc.horizon) / spread;
      amount[y] = (int) Math.round(255 * (0.08 + 0.5 * StrictMath.exp(-d * d)));
    }
    int fog = sc.pal.fog & 0xFFFFFF;
    int[] px = sc.c.px;
    int w = sc.w;
    boolean keepClear = sc.transparent;
    sc.c.bands((y0, y1) -> {
      for (int y = y0; y < y1; y++) {
        int a = amount[y], row = y * w;
        for (int x = row; x < row + w; x++) {
          int p = px[x];
          // a transparent sky stays transparent: fog only veils what is there
          if (keepClear && (p >>> 24) == 0) continue;
          px[x] = Rgb.over(p, fog, a * (p >>> 24) / 255);
        }
      }
    });
  }

  private static void rain(Scene sc) {
    SplittableRandom r = sc.random(40);
    int n = sc.count(sc.style.storm ? 900 : 600, 60);
    double len = sc.unit * 0.045, slant = -sc.unit * 0.012;
    int thick = Math.max(1, (int) Math.round(sc.unit * 0.0012));
    int c = Rgb.mix(sc.pal.cloud, 0xFFFFFF, 0.4);
    for (int i = 0; i < n; i++) {
      double x = r.nextDouble() * (sc.w + sc.unit * 0.05), y = r.nextDouble() * sc.h - len;
      double l = len * (0.6 + 0.8 * r.nextDouble());
      sc.c.streak(x, y, slant * l / len, l, thick, c, 110);
    }
  }

  private static void snow(Scene sc) {
    SplittableRandom r = sc.random(41);
    int n = sc.count(500, 50);
    for (int i = 0; i < n; i++) {
      double x = r.nextDouble() * sc.w, y = r.nextDouble() * sc.h;
      double s = sc.unit * (0.002 + 0.006 * r.nextDouble() * r.nextDouble());
      sc.c.disc(x, y, s, 0xFFFFFF, 140 + r.nextInt(116));
    }
  }

  private static void lightning(Scene sc) {
    SplittableRandom r = sc.random(42);
    Graphics2D g = sc.c.g();
    double x = sc.w * (0.2 + 0.6 * r.nextDouble()), y = sc.horizon * 0.15;
    Path2D bolt = new Path2D.Double();
    bolt.moveTo(x, y);
    int steps = 7;
    for (int i = 0; i < steps; i++) {
      x += (r.nextDouble() - 0.5) * sc.unit * 0.09;
      y += (sc.horizon * 0.95 - sc.horizon * 0.15) / steps;
      bolt.lineTo(x, y);
    }
    if (!sc.transparent) sc.c.glow(x, sc.horizon * 0.5, sc.unit * 0.4, 0x8080C0, 0.35, sc.horizon);
    g.setStroke(new BasicStroke((float) (sc.unit * 0.008), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.setColor(new Color(180, 180, 255, 90));
    g.draw(bolt);
    g.setStroke(new BasicStroke((float) Math.max(1, sc.unit * 0.0025), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.setColor(new Color(250, 250, 255));
    g.draw(bolt);
  }
}
