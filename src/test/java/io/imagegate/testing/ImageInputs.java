package io.imagegate.testing;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Base64;

/** Input images for edit requests: data URLs, masks, pictures without alpha. */
public final class ImageInputs {
  private ImageInputs() {}

  public static String dataUrl(byte[] bytes, String type) {
    return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  /** A PNG mask with an alpha channel: opaque, with a transparent square to edit. */
  public static byte[] mask(int w, int h) {
    BufferedImage m = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = m.createGraphics();
    g.setColor(Color.BLACK);
    g.fillRect(0, 0, w, h);
    g.setComposite(AlphaComposite.Clear);
    g.fillRect(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    return TestImages.encode(m, "png");
  }

  /** The picture drawn on an opaque RGB canvas, as JPEG needs. */
  public static BufferedImage rgb(BufferedImage argb) {
    BufferedImage rgb = new BufferedImage(argb.getWidth(), argb.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    g.drawImage(argb, 0, 0, null);
    g.dispose();
    return rgb;
  }
}
