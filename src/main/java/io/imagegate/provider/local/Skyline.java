package io.imagegate.provider.local;

import io.imagegate.provider.local.PromptStyle.Art;
import java.util.SplittableRandom;

/**
 * Silhouettes on the horizon, each a per-column outline filled in one pass over the rows: mountain
 * ranges with snow caps, rolling hills, pine tree lines, city skylines with windows, desert dunes.
 * Far layers fade into the sky (aerial perspective).
 */
final class Skyline {
  private Skyline() {}

  static void mountains(Scene sc) {
    SplittableRandom r = sc.random(10);
    int w = sc.w;
    boolean snowy = sc.style.snow || r.nextInt(3) > 0;
    for (int layer = 0; layer < 2; layer++) {
      double depth = layer == 0 ? 0.75 : 0.35;
      float[] top = new float[w];
      double base = sc.unit * 0.02;
      int peaks = 3 + r.nextInt(3);
      double[] pxs = new double[peaks], hs = new double[peaks], slopes = new double[peaks];
      for (int i = 0; i < peaks; i++) {
        pxs[i] = w * (i + 0.2 + 0.6 * r.nextDouble()) / peaks;
        hs[i] = sc.unit * (layer == 0 ? 0.26 + 0.16 * r.nextDouble() : 0.16 + 0.14 * r.nextDouble());
        slopes[i] = hs[i] / (sc.unit * (0.22 + 0.2 * r.nextDouble()));
      }
      double ph1 = r.nextDouble() * 6.3, ph2 = r.nextDouble() * 6.3;
      double f1 = 40.0 / w, f2 = 110.0 / w;
      float maxH = 0;
      for (int x = 0; x < w; x++) {
        double m = base;
        for (int i = 0; i < peaks; i++) m = Math.max(m, hs[i] - Math.abs(x - pxs[i]) * slopes[i]);
        m += sc.unit * (0.012 * StrictMath.sin(x * f1 + ph1) + 0.006 * StrictMath.sin(x * f2 + ph2)) * Math.min(1, m / (sc.unit * 0.1));
        top[x] = (float) (sc.horizon - m);
        maxH = (float) Math.max(maxH, m);
      }
      int rock = layer == 0 ? 0x5A6A8A : 0x4A5A4A;
      sc.c.fillBelow(top, sc.horizon + 2, sc.pal.aerial(rock, depth), sc.pal.aerial(Rgb.scale(rock, 0.7), depth * 0.6));
      if (snowy) {
        float line = sc.horizon - maxH * 0.62f;
        float[] bottom = new float[w];
        for (int x = 0; x < w; x++) {
          float above = line - top[x];
          bottom[x] = above > 0 ? top[x] + above * 0.55f + (float) (sc.unit * 0.008 * StrictMath.sin(x * 0.05 + ph2)) : top[x];
        }
        int snow = sc.pal.aerial(0xF4F8FF, depth * 0.8);
        sc.c.fillBetween(top, bottom, snow);
      }
    }
  }

  static void hills(Scene sc, int grass) {
    SplittableRandom r = sc.random(11);
    int w = sc.w;
    for (int layer = 0; layer < 2; layer++) {
      double depth = layer == 0 ? 0.55 : 0.25;
      double amp = sc.unit * (layer == 0 ? 0.07 : 0.045);
      double f1 = (2 + r.nextDouble() * 2) * Math.PI / w, f2 = (5 + r.nextDouble() * 4) * Math.PI / w;
      double ph1 = r.nextDouble() * 6.3, ph2 = r.nextDouble() * 6.3;
      float[] top = new float[w];
      for (int x = 0; x < w; x++) {
        top[x] = (float) (sc.horizon + 1 - amp * (0.6 + 0.3 * StrictMath.sin(x * f1 + ph1) + 0.15 * StrictMath.sin(x * f2 + ph2)));
      }
      int c = sc.pal.aerial(Rgb.scale(grass, layer == 0 ? 1.1 : 1.0), depth);
      sc.c.fillBelow(top, sc.horizon + 2, c, sc.pal.aerial(grass, depth * 0.7));
      if (layer == 0 && !sc.lowQuality()) {
        // a few round trees dotted along the far hill
        var g = sc.c.g();
        g.setColor(new java.awt.Color(sc.pal.aerial(0x2E5A2A, depth * 0.8)));
        int n = (int) (4 * sc.detail) + r.nextInt(4);
        for (int i = 0; i < n; i++) {
          int x = r.nextInt(w);
          double s = sc.unit * (0.012 + 0.01 * r.nextDouble());
          g.fill(new java.awt.geom.Ellipse2D.Double(x - s, top[x] - s * 1.6, 2 * s, 2.2 * s));
        }
      }
    }
  }

  static void forest(Scene sc, int pine) {
    SplittableRandom r = sc.random(12);
    int w = sc.w;
    for (int layer = 0; layer < 2; layer++) {
      double depth = layer == 0 ? 0.6 : 0.22;
      float[] top = new float[w];
      java.util.Arrays.fill(top, sc.horizon + 1);
      double x = -sc.unit * 0.05;
      while (x < w + sc.unit * 0.05) {
        double th = sc.unit * (layer == 0 ? 0.08 + 0.07 * r.nextDouble() : 0.12 + 0.12 * r.nextDouble());
        double half = th * (0.28 + 0.08 * r.nextDouble());
        int a = Math.max(0, (int) (x - half)), b = Math.min(w, (int) Math.ceil(x + half));
        for (int i = a; i < b; i++) {
          double d = Math.abs(i - x) / half;
          // three tiers: a saw on the cone reads as a pine
          double tier = (d * 3) % 1.0;
          double height = th * (1 - d) - th * 0.08 * tier;
          top[i] = (float) Math.min(top[i], sc.horizon + 1 - Math.max(0, height));
        }
        x += half * (0.7 + 0.6 * r.nextDouble());
      }
      sc.c.fillBelow(top, sc.horizon + 2, sc.pal.aerial(pine, depth), sc.pal.aerial(Rgb.scale(pine, 0.75), depth));
    }
  }

  static void city(Scene sc) {
    SplittableRandom r = sc.random(13);
    int w = sc.w;
    boolean neon = sc.style.art == Art.CYBERPUNK;
    for (int layer = 0; layer < 2; layer++) {
      double depth = layer == 0 ? 0.55 : 0.12;
      float[] top = new float[w];
      java.util.Arrays.fill(top, sc.horizon + 1);
      int wall = neon ? 0x2A2040 : layer == 0 ? 0x6A7088 : 0x4A4E5E;
      int wallC = sc.pal.aerial(wall, depth);
      double x = -r.nextDouble() * sc.unit * 0.05;
      java.util.List<int[]> near = new java.util.ArrayList<>();
      while (x < w) {
        double bw = sc.unit * (layer == 0 ? 0.05 + 0.06 * r.nextDouble() : 0.07 + 0.08 * r.nextDouble());
        double bh = sc.unit * (layer == 0 ? 0.18 + 0.2 * r.nextDouble() : 0.1 + 0.22 * r.nextDouble());
        if (neon) bh *= 1.3;
        int a = Math.max(0, (int) x), b = Math.min(w, (int) (x + bw));
        for (int i = a; i < b; i++) top[i] = (float) Math.min(top[i], sc.horizon + 1 - bh);
        if (r.nextInt(4) == 0) {
          // an antenna
          int ax = (int) (x + bw * (0.3 + 0.4 * r.nextDouble()));
          int aw = Math.max(1, (int) (sc.unit * 0.003));
          for (int i = Math.max(0, ax); i < Math.min(w, ax + aw); i++) top[i] = (float) (sc.horizon + 1 - bh * 1.18);
        }
        if (layer == 1) near.add(new int[] {a, b, (int) (sc.horizon + 1 - bh)});
        x += bw + sc.unit * 0.004 * r.nextInt(3);
      }
      sc.c.fillBelow(top, sc.horizon + 2, wallC, Rgb.scale(wallC, 0.8));
      if (layer == 1) windows(sc, near, r, neon);
    }
  }

  private static void windows(Scene sc, java.util.List<int[]> buildings, SplittableRandom r, boolean neon) {
    Palette p = sc.pal;
    int cell = Math.max(3, (int) (sc.unit * (sc.lowQuality() ? 0.018 : 0.012)));
    int win = Math.max(1, cell * 6 / 10);
    double litP = p.night ? 0.45 : 0.12;
    for (int[] bd : buildings) {
      for (int y = bd[2] + cell; y < sc.horizon - cell; y += cell) {
        for (int x = bd[0] + cell / 2; x + win < bd[1] - cell / 3; x += cell) {
          if (r.nextDouble() > litP) continue;
          int col = p.night ? (neon && r.nextInt(3) == 0 ? (r.nextBoolean() ? p.neonA : p.neonB) : p.window)
              : Rgb.mix(p.skyMid, 0xFFFFFF, 0.3);
          if (sc.high()) col = Rgb.scale(col, 0.75 + 0.25 * r.nextDouble());
          sc.c.rect(x, y, x + win, y + win, col, 255);
        }
      }
      if (neon && r.nextInt(3) == 0) {
        // a vertical neon sign with its glow
        int sx = bd[0] + (bd[1] - bd[0]) / 3, sw = Math.max(2, (int) (sc.unit * 0.008));
        int sy = bd[2] + (int) (sc.unit * 0.02), sh = (int) (sc.unit * (0.05 + 0.05 * r.nextDouble()));
        int col = r.nextBoolean() ? p.neonA : p.neonB;
        if (!sc.lowQuality()) sc.c.glow(sx + sw / 2.0, sy + sh / 2.0, sh * 0.9, col, 0.55, sc.h);
        sc.c.rect(sx, sy, sx + sw, sy + sh, Rgb.mix(col, 0xFFFFFF, 0.4), 255);
      }
    }
  }

  static void dunes(Scene sc, int sand) {
    SplittableRandom r = sc.random(14);
    int w = sc.w;
    for (int layer = 0; layer < 2; layer++) {
      double depth = layer == 0 ? 0.5 : 0.2;
      double amp = sc.unit * (layer == 0 ? 0.06 : 0.04);
      double f = (3 + 3 * r.nextDouble()) * Math.PI / w, ph = r.nextDouble() * 6.3;
      float[] top = new float[w];
      for (int x = 0; x < w; x++) {
        double s = StrictMath.sin(x * f + ph);
        // sharp crests, soft troughs
        top[x] = (float) (sc.horizon + 1 - amp * (0.3 + 0.7 * (1 - Math.abs(s)) * (1 - Math.abs(s)) + 0.2 * s));
      }
      int lit = sc.pal.aerial(Rgb.mix(sand, 0xFFFFFF, 0.15), depth);
      sc.c.fillBelow(top, sc.horizon + 2, lit, sc.pal.aerial(Rgb.scale(sand, 0.8), depth));
    }
  }
}
