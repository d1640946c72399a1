package io.imagegate.provider.local;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * A subject drawn in its own unit coordinates (ground at y=0, top at about y=-1, facing +x), placed by
 * one transform: a silhouette filled with a lit-from-above gradient, details on top, then an outline
 * (a neon glow, a moonlit rim or a soft ink line).
 */
final class Figure {
  private final AffineTransform at;
  private final Area silhouette = new Area();
  private final List<Shape> details = new ArrayList<>();
  private final List<Integer> detailColours = new ArrayList<>();

  /** Unit coordinates scaled by {@code size} pixels, standing at (x, baseY), mirrored if {@code flip}. */
  Figure(double x, double baseY, double size, boolean flip) {
    at = new AffineTransform();
    at.translate(x, baseY);
    at.scale(flip ? -size : size, size);
  }

  Figure part(Shape s) {
    silhouette.add(new Area(at.createTransformedShape(s)));
    return this;
  }

  /** A limb: the path stroked {@code width} units wide with round ends. */
  Figure limb(Shape path, double width) {
    return part(stroke(width).createStrokedShape(path));
  }

  Figure detail(Shape s, int colour) {
    details.add(at.createTransformedShape(s));
    detailColours.add(colour);
    return this;
  }

  Figure detailLine(Shape path, double width, int colour) {
    return detail(stroke(width).createStrokedShape(path), colour);
  }

  private static BasicStroke stroke(double width) {
    return new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  /** Pixel bounds of the silhouette. */
  Rectangle2D bounds() { return silhouette.getBounds2D(); }

  enum Outline { NONE, INK, RIM, NEON }

  /** Paints silhouette, details and outline; {@code colour} is already lit, {@code edge} is the outline colour. */
  void paint(Graphics2D g, int colour, Outline outline, int edge, double unit) {
    Rectangle2D b = silhouette.getBounds2D();
    g.setPaint(new GradientPaint(0f, (float) b.getMinY(), new Color(Rgb.mix(colour, 0xFFFFFF, 0.14)),
        0f, (float) b.getMaxY(), new Color(Rgb.scale(colour, 0.68))));
    g.fill(silhouette);
    for (int i = 0; i < details.size(); i++) {
      int c = detailColours.get(i);
      g.setColor(new Color(c, (c >>> 24) != 0 && (c >>> 24) != 0xFF));
      g.fill(details.get(i));
    }
    float thin = (float) Math.max(1, unit * 0.0025);
    switch (outline) {
      case NEON -> {
        g.setStroke(new BasicStroke(thin * 6, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(edge & 0xFFFFFF | 0x40000000, true));
        g.draw(silhouette);
        g.setStroke(new BasicStroke(thin * 2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(edge & 0xFFFFFF | 0x90000000, true));
        g.draw(silhouette);
        g.setStroke(new BasicStroke(thin, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(Rgb.mix(edge, 0xFFFFFF, 0.5)));
        g.draw(silhouette);
      }
      case RIM -> {
        g.setStroke(new BasicStroke(thin * 1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(edge & 0xFFFFFF | 0xA0000000, true));
        g.draw(silhouette);
      }
      case INK -> {
        g.setStroke(new BasicStroke(thin, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(new Color(Rgb.scale(colour, 0.35) & 0xFFFFFF | 0x90000000, true));
        g.draw(silhouette);
      }
      default -> { }
    }
  }
}
