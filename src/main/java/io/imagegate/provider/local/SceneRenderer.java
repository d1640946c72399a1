package io.imagegate.provider.local;

import io.imagegate.provider.local.PromptStyle.Art;
import io.imagegate.provider.local.PromptStyle.Setting;
import io.imagegate.provider.local.PromptStyle.Time;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.util.SplittableRandom;

/**
 * Composes a text-to-image scene back to front: sky, light, stars, sun or moon, clouds, the setting's
 * backdrop and ground, the subject, weather, then the art style's finish.
 */
final class SceneRenderer {
  private SceneRenderer() {}

  static void render(Scene sc) {
    sky(sc);
    if (sc.style.stars && !sc.transparent && !sc.style.storm) stars(sc);
    if (sc.style.has(Setting.SPACE)) Backdrop.planet(sc);
    else celestial(sc);
    clouds(sc);
    Backdrop.draw(sc);
    Weather.behind(sc);
    Subjects.draw(sc);
    Weather.front(sc);
    StyleFilters.finish(sc);
  }

  private static void sky(Scene sc) {
    Palette p = sc.pal;
    if (sc.transparent) {
      sc.c.clear(0);
      return;
    }
    sc.c.verticalGradient(0, sc.horizon + 2, new int[] {p.skyTop, p.skyMid, p.skyLow}, new double[] {0, 0.55, 1});
    sc.c.verticalGradient(sc.horizon + 2, sc.h, new int[] {p.skyLow, p.skyLow}, new double[] {0, 1});
    Time t = sc.style.time;
    boolean hidden = sc.style.storm || sc.style.rain;
    double strength = switch (t) {
      case SUNSET, SUNRISE -> 0.85;
      case NIGHT -> 0.35;
      case DAY -> 0.45;
    };
    if (hidden) strength *= 0.4;
    if (sc.style.has(Setting.SPACE)) return;
    sc.c.glow(sc.lightX, sc.lightY, sc.unit * (t == Time.NIGHT ? 0.35 : 0.8), p.glow, strength, sc.horizon + 2);
    if (sc.style.art == Art.CYBERPUNK) {
      // city glow rising from the horizon
      sc.c.glow(sc.w * 0.5, sc.horizon, sc.w * 0.7, p.neonA, 0.45, sc.horizon + 2);
    }
  }

  private static void stars(Scene sc) {
    SplittableRandom r = sc.random(2);
    int n = sc.count(sc.style.has(Setting.SPACE) ? 900 : 420, 40);
    int yMax = Math.max(1, (int) (sc.horizon * 0.92));
    int[] px = sc.c.px;
    int w = sc.w;
    int big = Math.max(1, (int) Math.round(sc.unit / 700));
    for (int i = 0; i < n; i++) {
      int x = r.nextInt(w), y = r.nextInt(yMax);
      // more stars high up, fewer near the glowing horizon
      if (r.nextDouble() < (double) y / yMax * 0.7) continue;
      int a = 90 + r.nextInt(166);
      int col = switch (r.nextInt(5)) { case 0 -> 0xBFD4FF; case 1 -> 0xFFE6C0; default -> 0xFFFFFF; };
      int size = r.nextInt(12) == 0 ? big + 1 : big;
      for (int dy = 0; dy < size && y + dy < sc.h; dy++) {
        for (int dx = 0; dx < size && x + dx < w; dx++) {
          int k = (y + dy) * w + x + dx;
          px[k] = Rgb.over(px[k], col, a);
        }
      }
      if (sc.high() && r.nextInt(25) == 0) {
        // a few twinkles with a soft halo and cross
        sc.c.glow(x, y, sc.unit * 0.012, col, 0.7, sc.h);
        int arm = (int) (sc.unit * 0.012);
        for (int d = -arm; d <= arm; d++) {
          int fade = a * (arm - Math.abs(d)) / Math.max(1, arm);
          if (x + d >= 0 && x + d < w) px[y * w + x + d] = Rgb.over(px[y * w + x + d], col, fade);
          if (y + d >= 0 && y + d < sc.h) px[(y + d) * w + x] = Rgb.over(px[(y + d) * w + x], col, fade);
        }
      }
    }
  }

  private static void celestial(Scene sc) {
    Palette p = sc.pal;
    Time t = sc.style.time;
    if (sc.style.storm || sc.style.rain) return;
    Graphics2D g = sc.c.g();
    double r = sc.lightR, x = sc.lightX, y = sc.lightY;
    if (t == Time.NIGHT) {
      g.setColor(new Color(p.sun));
      Area moon = new Area(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
      if ((sc.style.hash & 1) == 0) {
        // crescent: the lit disc minus a shifted disc
        moon.subtract(new Area(new Ellipse2D.Double(x - r * 0.45, y - r * 1.15, 2 * r, 2 * r)));
      }
      g.fill(moon);
      if (!sc.lowQuality()) {
        g.setColor(new Color(Rgb.scale(p.sun, 0.86)));
        SplittableRandom cr = sc.random(3);
        for (int i = 0; i < 3 + (int) sc.detail * 2; i++) {
          double a = cr.nextDouble() * Math.PI * 2, d = cr.nextDouble() * r * 0.6, cs = r * (0.1 + 0.15 * cr.nextDouble());
          Ellipse2D crater = new Ellipse2D.Double(x + StrictMath.cos(a) * d - cs, y + StrictMath.sin(a) * d - cs, 2 * cs, 2 * cs);
          if (moon.contains(crater.getBounds2D())) g.fill(crater);
        }
      }
    } else {
      int core = t == Time.DAY ? 0xFFFFF4 : p.sun;
      g.setColor(new Color(Rgb.mix(core, p.glow, 0.3)));
      g.fill(new Ellipse2D.Double(x - r * 1.12, y - r * 1.12, 2.24 * r, 2.24 * r));
      g.setColor(new Color(core));
      g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    }
  }

  private static void clouds(Scene sc) {
    PromptStyle s = sc.style;
    if (s.has(Setting.SPACE)) return;
    SplittableRandom r = sc.random(4);
    int n;
    if (s.storm) n = 9;
    else if (s.rain) n = 7;
    else if (s.clouds) n = 6;
    else if (s.snow) n = 4;
    else if (s.art == Art.CYBERPUNK) n = 0;
    else n = s.time == Time.NIGHT ? 1 + r.nextInt(2) : 2 + r.nextInt(3);
    n = (int) Math.round(n * (sc.lowQuality() ? 0.7 : 1));
    Palette p = sc.pal;
    Graphics2D g = sc.c.g();
    int puffs = sc.lowQuality() ? 5 : sc.high() ? 9 : 7;
    boolean warm = s.time == Time.SUNSET || s.time == Time.SUNRISE;
    for (int i = 0; i < n; i++) {
      double cw = sc.unit * (0.22 + 0.3 * r.nextDouble()) * (s.storm ? 1.6 : 1);
      double cx = r.nextDouble() * sc.w;
      double cy = sc.horizon * (s.storm || s.rain ? 0.06 + 0.3 * r.nextDouble() : 0.1 + 0.35 * r.nextDouble());
      double ch = cw * 0.3;
      int light = warm ? Rgb.mix(p.cloud, p.glow, 0.25 + 0.3 * r.nextDouble()) : p.cloud;
      int shade = Rgb.mix(light, p.cloudShade, 0.75);
      // one vertical gradient across the whole cloud: lit tops, shaded flat base, no seams between puffs
      g.setPaint(new GradientPaint(0f, (float) (cy - ch * 0.9), new Color(light), 0f, (float) (cy + ch * 0.5), new Color(shade)));
      for (int k = 0; k < puffs; k++) {
        double u = (k + 0.5) / puffs - 0.5;
        double pw = cw * (0.3 + 0.22 * r.nextDouble());
        double ph = ch * (0.7 + 1.3 * (0.5 - Math.abs(u)) + 0.3 * r.nextDouble());
        double px = cx + u * cw - pw / 2;
        double bottom = cy + ch * 0.5;
        g.fill(new Ellipse2D.Double(px, Math.min(bottom - ph, cy - ph * 0.5), pw, ph));
      }
      // a flat base joins the puffs
      g.fill(new java.awt.geom.RoundRectangle2D.Double(cx - cw * 0.5, cy - ch * 0.1, cw, ch * 0.6, ch * 0.6, ch * 0.6));
    }
  }
}
