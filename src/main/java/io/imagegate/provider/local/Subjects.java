package io.imagegate.provider.local;

import io.imagegate.provider.local.Figure.Outline;
import io.imagegate.provider.local.PromptStyle.Art;
import io.imagegate.provider.local.PromptStyle.Subject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.SplittableRandom;

/**
 * The central subject, a simple recognisable shape for the prompt's noun (cat, dog, house, barn,
 * castle, tree, car, person, bird, boat, robot, orb), coloured by the colour word before it.
 */
final class Subjects {
  private Subjects() {}

  static void draw(Scene sc) {
    Subject subject = sc.style.subject;
    if (subject == Subject.NONE) return;
    SplittableRandom r = sc.random(30);
    int fg = Backdrop.foregroundTop(sc);
    boolean sea = fg >= sc.h;
    double size = sc.unit * switch (subject) {
      case CAT -> 0.30; case DOG -> 0.30; case HOUSE -> 0.36; case BARN -> 0.40; case CASTLE -> 0.42;
      case TREE -> 0.52; case CAR -> 0.18; case PERSON, ASTRONAUT -> 0.42; case BIRD -> 0.2; case BOAT -> 0.34;
      case ROBOT -> 0.42; default -> 0.2;
    };
    double x = sc.w * (0.5 + (r.nextDouble() - 0.5) * 0.24);
    double base = subject == Subject.BOAT && sea ? sc.horizon + (sc.h - sc.horizon) * 0.45
        : fg + (sc.h - fg) * (0.5 + 0.15 * r.nextDouble());
    boolean flip = r.nextBoolean();
    Graphics2D g = sc.c.g();
    Palette p = sc.pal;
    // a subject the prompt gave a colour keeps it readable even at night
    int colour = sc.style.subjectColour >= 0 ? p.named(sc.style.subjectColour) : p.lit(baseColour(sc.style, r), 0.62);
    if (subject == Subject.BIRD) base = sc.horizon * (0.35 + 0.2 * r.nextDouble());
    if (subject == Subject.ORB) {
      orb(sc, x, base - size * 1.2, size * 0.5, colour);
      return;
    }
    double shadowWidth = switch (subject) {
      case CAR -> 2.8; case PERSON, ASTRONAUT, ROBOT -> 0.7; case TREE -> 0.9; case BIRD, BOAT -> 0; default -> 1.35;
    };
    if (shadowWidth > 0) shadow(g, x, base, size * shadowWidth);
    Figure f = new Figure(x, base, size, flip);
    boolean night = p.night;
    int eye = sc.style.art == Art.CYBERPUNK ? p.neonB : night ? 0xE8F070 : 0x5A8A2A;
    switch (subject) {
      case CAT -> cat(f, sc.style.moving, eye, sc.high());
      case DOG -> dog(f, sc.style.moving, colour);
      case HOUSE -> house(f, night, p.window, colour);
      case BARN -> barn(f, p);
      case CASTLE -> castle(f, night, p.window);
      case TREE -> tree(f, sc.style, p);
      case CAR -> car(f, night);
      case PERSON -> person(f, sc.style.moving, p.lit(skin(r), 0.62));
      case ASTRONAUT -> astronaut(f, sc.style.moving, p.lit(0x3A5A8A, 0.7));
      case BIRD -> bird(f);
      case BOAT -> boat(f, p.lit(0xF4F0E6, 0.62));
      case ROBOT -> robot(f, p.neonB);
      default -> { }
    }
    Outline outline = sc.style.art == Art.CYBERPUNK ? Outline.NEON
        : sc.style.art == Art.WATERCOLOR || sc.lowQuality() ? Outline.NONE
        : night ? Outline.RIM : Outline.INK;
    int edge = sc.style.art == Art.CYBERPUNK ? p.neonB : Rgb.mix(p.sun, p.glow, 0.3);
    f.paint(g, colour, outline, edge, sc.unit);
    if (subject == Subject.CAR && night) headlight(g, f, flip, sc.unit);
  }

  private static int baseColour(PromptStyle s, SplittableRandom r) {
    if (s.subjectColour >= 0) return s.subjectColour;
    int[] options = switch (s.subject) {
      case CAT -> new int[] {0x8A8A8E, 0xD8782A, 0x3A3A3E, 0xEDEDE8};
      case DOG -> new int[] {0xB07A44, 0x6A4A2A, 0xE0CCA8};
      case HOUSE -> new int[] {0xE8D8B8, 0xC8B898, 0xA8C0D0};
      case BARN -> new int[] {0xB02A22};
      case CASTLE -> new int[] {0xA8A29A, 0x8A8680};
      case TREE -> new int[] {s.autumn ? 0xD0702A : 0x3A8A3A};
      case CAR -> new int[] {0xC82A2A, 0x2A5AC8, 0xE8E8E8, 0x2A2A2E};
      case PERSON -> new int[] {0x2A5AA8, 0xA83A3A, 0x3A8A5A};
      case ASTRONAUT -> new int[] {0xEEEEEA};
      case BIRD -> new int[] {0x3A3A44, 0x8A5A3A};
      case BOAT -> new int[] {0x8A5A34, 0xE8E8E8};
      case ROBOT -> new int[] {0xA8B0BC};
      default -> new int[] {0x7A5AE8, 0x3AC8E8, 0xE85AA8};
    };
    return options[r.nextInt(options.length)];
  }

  private static int skin(SplittableRandom r) {
    int[] tones = {0xF0C8A0, 0xD8A078, 0xA86E48, 0x6E4630};
    return tones[r.nextInt(tones.length)];
  }

  private static void shadow(Graphics2D g, double x, double base, double width) {
    g.setColor(new Color(0, 0, 0, 70));
    g.fill(new Ellipse2D.Double(x - width / 2, base - width * 0.05, width, width * 0.1));
  }

  private static Path2D poly(double... xy) {
    Path2D p = new Path2D.Double();
    p.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) p.lineTo(xy[i], xy[i + 1]);
    p.closePath();
    return p;
  }

  private static void cat(Figure f, boolean running, int eye, boolean whiskers) {
    double lift = running ? -0.06 : 0;
    f.limb(new QuadCurve2D.Double(-0.55, -0.45 + lift, -1.0, running ? -0.55 : -0.45, running ? -1.05 : -0.9,
        running ? -0.75 : -1.0), 0.09);
    if (running) {
      f.limb(new Line2D.Double(0.32, -0.36, 0.72, -0.12), 0.1).limb(new Line2D.Double(0.22, -0.34, 0.55, -0.03), 0.1);
      f.limb(new Line2D.Double(-0.35, -0.36, -0.78, -0.12), 0.11).limb(new Line2D.Double(-0.45, -0.38, -0.85, -0.26), 0.11);
    } else {
      for (double lx : new double[] {0.36, 0.2, -0.3, -0.46}) f.limb(new Line2D.Double(lx, -0.3, lx + 0.01, -0.03), 0.1);
    }
    f.part(new Ellipse2D.Double(-0.62, -0.62 + lift, 1.12, 0.34));
    f.part(new Ellipse2D.Double(0.36, -0.9 + lift, 0.4, 0.38));
    f.part(poly(0.40, -0.78 + lift, 0.43, -1.02 + lift, 0.56, -0.86 + lift));
    f.part(poly(0.58, -0.87 + lift, 0.70, -1.02 + lift, 0.73, -0.76 + lift));
    f.detail(new Ellipse2D.Double(0.6, -0.77 + lift, 0.07, 0.05), eye);
    f.detail(new Ellipse2D.Double(0.63, -0.765 + lift, 0.02, 0.04), 0xFF101010);
    f.detail(poly(0.74, -0.68 + lift, 0.77, -0.68 + lift, 0.755, -0.655 + lift), 0xFFE08A9A);
    if (whiskers) {
      for (int i = -1; i <= 1; i++) {
        f.detailLine(new Line2D.Double(0.74, -0.64 + lift, 0.92, -0.66 + lift + i * 0.04), 0.006, 0xC0F0F0F0);
      }
    }
  }

  private static void dog(Figure f, boolean running, int colour) {
    double lift = running ? -0.05 : 0;
    f.limb(new QuadCurve2D.Double(-0.55, -0.55 + lift, -0.75, -0.7, -0.72, -0.9), 0.08);
    if (running) {
      f.limb(new Line2D.Double(0.3, -0.4, 0.7, -0.12), 0.12).limb(new Line2D.Double(0.2, -0.38, 0.52, -0.03), 0.12);
      f.limb(new Line2D.Double(-0.38, -0.4, -0.8, -0.14), 0.13).limb(new Line2D.Double(-0.48, -0.42, -0.86, -0.3), 0.13);
    } else {
      for (double lx : new double[] {0.34, 0.18, -0.32, -0.48}) f.limb(new Line2D.Double(lx, -0.4, lx, -0.04), 0.12);
    }
    f.part(new Ellipse2D.Double(-0.62, -0.68 + lift, 1.12, 0.36));
    f.limb(new Line2D.Double(0.35, -0.55 + lift, 0.5, -0.78 + lift), 0.2);
    f.part(new Ellipse2D.Double(0.36, -1.0 + lift, 0.36, 0.32));
    f.part(new RoundRectangle2D.Double(0.6, -0.88 + lift, 0.3, 0.16, 0.1, 0.1));
    f.detail(new Ellipse2D.Double(0.38, -0.96 + lift, 0.14, 0.3), Rgb.scale(colour, 0.55));
    f.detail(new Ellipse2D.Double(0.58, -0.93 + lift, 0.05, 0.05), 0xFF1A1A1A);
    f.detail(new Ellipse2D.Double(0.85, -0.88 + lift, 0.07, 0.06), 0xFF1A1A1A);
  }

  private static void house(Figure f, boolean night, int window, int wall) {
    f.part(new Rectangle2D.Double(-0.5, -0.62, 1.0, 0.62));
    f.part(new Rectangle2D.Double(0.24, -0.98, 0.12, 0.3));
    f.part(poly(-0.64, -0.6, 0, -1.0, 0.64, -0.6));
    f.detail(poly(-0.64, -0.6, 0, -1.0, 0.64, -0.6), 0xFF7A3A2A);
    f.detail(new Rectangle2D.Double(-0.1, -0.34, 0.2, 0.34), 0xFF5A3A24);
    int win = night ? 0xFF000000 | window : 0xFF8AB0D0;
    f.detail(new Rectangle2D.Double(-0.38, -0.42, 0.18, 0.16), win);
    f.detail(new Rectangle2D.Double(0.2, -0.42, 0.18, 0.16), win);
  }

  private static void barn(Figure f, Palette p) {
    int trim = p.lit(0xF4F0E8, 0.62) | 0xFF000000;
    Path2D roof = poly(-0.64, -0.56, -0.52, -0.86, 0, -1.0, 0.52, -0.86, 0.64, -0.56);
    f.part(new Rectangle2D.Double(-0.56, -0.58, 1.12, 0.58)).part(roof);
    f.detail(roof, p.lit(0x4A4A50, 0.62) | 0xFF000000);
    f.detailLine(poly(-0.56, -0.58, -0.52, -0.86, 0, -1.0, 0.52, -0.86, 0.56, -0.58), 0.03, trim);
    f.detail(new Rectangle2D.Double(-0.22, -0.42, 0.44, 0.42), p.lit(0x8A1E18, 0.62) | 0xFF000000);
    f.detailLine(new Rectangle2D.Double(-0.22, -0.42, 0.44, 0.42), 0.035, trim);
    f.detailLine(new Line2D.Double(-0.22, -0.42, 0.22, 0), 0.03, trim);
    f.detailLine(new Line2D.Double(0.22, -0.42, -0.22, 0), 0.03, trim);
    f.detail(new Rectangle2D.Double(-0.1, -0.78, 0.2, 0.16), p.night ? 0xFF000000 | p.window : 0xFF3A2A20);
    f.detailLine(new Rectangle2D.Double(-0.1, -0.78, 0.2, 0.16), 0.025, trim);
  }

  private static void castle(Figure f, boolean night, int window) {
    f.part(new Rectangle2D.Double(-0.36, -0.62, 0.72, 0.62));
    for (double cx = -0.34; cx < 0.34; cx += 0.14) f.part(new Rectangle2D.Double(cx, -0.7, 0.08, 0.1));
    for (double tx : new double[] {-0.62, 0.34}) {
      f.part(new Rectangle2D.Double(tx, -0.8, 0.28, 0.8));
      f.part(poly(tx - 0.04, -0.8, tx + 0.14, -1.05, tx + 0.32, -0.8));
      f.detail(poly(tx - 0.04, -0.8, tx + 0.14, -1.05, tx + 0.32, -0.8), 0xFF6A2A3A);
      f.detailLine(new Line2D.Double(tx + 0.14, -1.05, tx + 0.14, -1.15), 0.012, 0xFF3A3A3A);
      f.detail(poly(tx + 0.14, -1.15, tx + 0.26, -1.12, tx + 0.14, -1.09), 0xFFD02A2A);
      f.detail(new RoundRectangle2D.Double(tx + 0.1, -0.6, 0.08, 0.14, 0.08, 0.08), night ? 0xFF000000 | window : 0xFF2A2A34);
    }
    f.detail(new RoundRectangle2D.Double(-0.12, -0.3, 0.24, 0.3, 0.24, 0.24), 0xFF2A2024);
    f.detail(new Rectangle2D.Double(-0.12, -0.15, 0.24, 0.15), 0xFF2A2024);
  }

  private static void tree(Figure f, PromptStyle s, Palette p) {
    f.part(poly(-0.07, 0, 0.07, 0, 0.04, -0.5, -0.04, -0.5));
    f.limb(new Line2D.Double(0, -0.35, 0.16, -0.52), 0.04).limb(new Line2D.Double(0, -0.4, -0.15, -0.56), 0.04);
    f.detail(poly(-0.07, 0, 0.07, 0, 0.04, -0.5, -0.04, -0.5), p.lit(0x5A3A22, 0.62) | 0xFF000000);
    int leaf = p.lit(s.subjectColour >= 0 ? s.subjectColour : s.autumn ? 0xD0702A : 0x3A8A3A, 0.62) | 0xFF000000;
    double[][] blobs = {{0, -0.72, 0.3}, {-0.22, -0.6, 0.2}, {0.22, -0.6, 0.21}, {-0.08, -0.9, 0.18}, {0.12, -0.86, 0.17}};
    for (double[] b : blobs) {
      Ellipse2D e = new Ellipse2D.Double(b[0] - b[2], b[1] - b[2], 2 * b[2], 2 * b[2]);
      f.part(e);
      f.detail(e, leaf);
    }
    int hi = Rgb.mix(leaf, s.snow ? 0xFFFFFF : 0xE8F0A0, s.snow ? 0.8 : 0.25) | 0xFF000000;
    f.detail(new Ellipse2D.Double(-0.2, -1.06, 0.3, 0.14), hi);
    f.detail(new Ellipse2D.Double(0.02, -0.98, 0.22, 0.1), hi);
  }

  private static void car(Figure f, boolean night) {
    f.part(new RoundRectangle2D.Double(-1.3, -0.66, 2.6, 0.46, 0.3, 0.3));
    f.part(poly(-0.72, -0.64, -0.42, -1.0, 0.48, -1.0, 0.82, -0.64));
    f.detail(poly(-0.6, -0.66, -0.38, -0.92, -0.02, -0.92, -0.02, -0.66), 0xFF9AB8D0);
    f.detail(poly(0.06, -0.66, 0.06, -0.92, 0.44, -0.92, 0.68, -0.66), 0xFF9AB8D0);
    for (double wx : new double[] {-0.8, 0.8}) {
      f.part(new Ellipse2D.Double(wx - 0.24, -0.44, 0.48, 0.48));
      f.detail(new Ellipse2D.Double(wx - 0.24, -0.44, 0.48, 0.48), 0xFF1A1A1E);
      f.detail(new Ellipse2D.Double(wx - 0.11, -0.31, 0.22, 0.22), 0xFFA0A4AC);
    }
    f.detail(new RoundRectangle2D.Double(1.18, -0.58, 0.12, 0.1, 0.05, 0.05), night ? 0xFFFFF6C0 : 0xFFF0E8C8);
    f.detail(new RoundRectangle2D.Double(-1.3, -0.58, 0.08, 0.1, 0.05, 0.05), 0xFFD02020);
  }

  private static void headlight(Graphics2D g, Figure f, boolean flip, double unit) {
    Rectangle2D b = f.bounds();
    double y = b.getMinY() + b.getHeight() * 0.42, x = flip ? b.getMinX() : b.getMaxX(), len = unit * 0.35;
    double dir = flip ? -1 : 1;
    g.setColor(new Color(255, 246, 200, 60));
    g.fill(poly(x, y - b.getHeight() * 0.05, x + dir * len, y - b.getHeight() * 0.35, x + dir * len, y + b.getHeight() * 0.5, x,
        y + b.getHeight() * 0.05));
  }

  private static void person(Figure f, boolean running, int skin) {
    double a = running ? 0.22 : 0.06;
    f.limb(new Line2D.Double(-0.03, -0.42, -0.03 - a, -0.02), 0.1).limb(new Line2D.Double(0.03, -0.42, 0.05 + a, running ? -0.12 : -0.02), 0.1);
    f.part(new RoundRectangle2D.Double(-0.13, -0.8, 0.26, 0.42, 0.1, 0.1));
    f.limb(new Line2D.Double(-0.08, -0.74, -0.1 - a, -0.46), 0.08).limb(new Line2D.Double(0.08, -0.74, 0.12 + a, running ? -0.86 : -0.46), 0.08);
    f.part(new Ellipse2D.Double(-0.1, -1.02, 0.2, 0.22));
    f.detail(new Ellipse2D.Double(-0.1, -1.02, 0.2, 0.22), skin | 0xFF000000);
    java.awt.geom.Area hair = new java.awt.geom.Area(new Ellipse2D.Double(-0.11, -1.035, 0.22, 0.24));
    hair.intersect(new java.awt.geom.Area(new Rectangle2D.Double(-0.12, -1.04, 0.24, 0.09)));
    f.detail(hair, 0xFF3A2A1E);
    f.detail(new Ellipse2D.Double(0.04, -0.94, 0.025, 0.03), 0xFF1A1A1A);
  }

  private static void astronaut(Figure f, boolean moving, int visor) {
    double a = moving ? 0.2 : 0.07;
    f.part(new RoundRectangle2D.Double(-0.2, -0.82, 0.14, 0.36, 0.06, 0.06));
    f.limb(new Line2D.Double(-0.05, -0.42, -0.07 - a, -0.04), 0.13).limb(new Line2D.Double(0.05, -0.42, 0.08 + a, -0.06), 0.13);
    f.part(new RoundRectangle2D.Double(-0.15, -0.8, 0.3, 0.42, 0.12, 0.12));
    f.limb(new Line2D.Double(-0.1, -0.74, -0.14 - a, -0.48), 0.1).limb(new Line2D.Double(0.1, -0.74, 0.16 + a, moving ? -0.9 : -0.48), 0.1);
    f.part(new Ellipse2D.Double(-0.15, -1.08, 0.3, 0.3));
    f.detail(new RoundRectangle2D.Double(-0.04, -1.0, 0.17, 0.13, 0.08, 0.08), visor | 0xFF000000);
    f.detail(new Ellipse2D.Double(0.03, -0.98, 0.05, 0.03), 0xB0FFFFFF);
    f.detail(new Rectangle2D.Double(-0.08, -0.7, 0.12, 0.08), 0xFF8A9AB0);
  }

  private static void bird(Figure f) {
    f.part(new Ellipse2D.Double(-0.34, -0.1, 0.68, 0.2));
    f.part(new Ellipse2D.Double(0.24, -0.14, 0.18, 0.16));
    f.part(poly(-0.3, -0.02, -0.56, -0.14, -0.56, 0.08));
    f.part(poly(-0.12, -0.04, -0.3, -0.62, 0.1, -0.06));
    f.part(poly(-0.04, 0.02, 0.05, 0.5, 0.16, 0.0));
    f.detail(poly(0.41, -0.09, 0.52, -0.05, 0.41, -0.02), 0xFFE0A030);
    f.detail(new Ellipse2D.Double(0.33, -0.1, 0.04, 0.04), 0xFF101010);
  }

  private static void boat(Figure f, int sail) {
    f.part(poly(-0.62, -0.26, 0.62, -0.26, 0.46, 0, -0.46, 0));
    f.limb(new Line2D.Double(0, -0.26, 0, -1.0), 0.03);
    f.part(poly(0.03, -0.96, 0.03, -0.32, 0.52, -0.32));
    f.part(poly(-0.03, -0.9, -0.03, -0.32, -0.38, -0.32));
    f.detail(poly(0.03, -0.96, 0.03, -0.32, 0.52, -0.32), sail | 0xFF000000);
    f.detail(poly(-0.03, -0.9, -0.03, -0.32, -0.38, -0.32), Rgb.scale(sail, 0.9) | 0xFF000000);
  }

  private static void robot(Figure f, int eye) {
    f.part(new Rectangle2D.Double(-0.2, -0.32, 0.14, 0.32)).part(new Rectangle2D.Double(0.06, -0.32, 0.14, 0.32));
    f.part(new RoundRectangle2D.Double(-0.28, -0.72, 0.56, 0.42, 0.08, 0.08));
    f.part(new Rectangle2D.Double(-0.4, -0.7, 0.1, 0.34)).part(new Rectangle2D.Double(0.3, -0.7, 0.1, 0.34));
    f.part(new RoundRectangle2D.Double(-0.18, -0.96, 0.36, 0.24, 0.06, 0.06));
    f.limb(new Line2D.Double(0, -0.96, 0, -1.06), 0.02).part(new Ellipse2D.Double(-0.035, -1.1, 0.07, 0.07));
    f.detail(new Ellipse2D.Double(-0.11, -0.9, 0.08, 0.08), eye | 0xFF000000);
    f.detail(new Ellipse2D.Double(0.03, -0.9, 0.08, 0.08), eye | 0xFF000000);
    f.detail(new Rectangle2D.Double(-0.12, -0.62, 0.24, 0.12), 0xFF2A3040);
  }

  private static void orb(Scene sc, double x, double y, double r, int colour) {
    sc.c.glow(x, y, r * 2.4, colour, 0.7, sc.h);
    Graphics2D g = sc.c.g();
    g.setPaint(new RadialGradientPaint((float) (x - r * 0.35), (float) (y - r * 0.35), (float) (r * 1.4),
        new float[] {0f, 0.35f, 1f}, new Color[] {new Color(0xFFFFFF), new Color(Rgb.mix(colour, 0xFFFFFF, 0.2)),
            new Color(Rgb.scale(colour, 0.35))}));
    g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    shadow(g, x, y + r * 2.4, r * 1.6);
  }
}
