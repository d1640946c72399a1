package io.imagegate.testing;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Test pictures made in code, and decoding of answers. */
public final class TestImages {
  private TestImages() {}

  /** A recognisable photo-like picture: a gradient with a few shapes. */
  public static BufferedImage picture(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(40, 120, 200), w, h, new Color(240, 200, 80)));
    g.fillRect(0, 0, w, h);
    g.setColor(new Color(30, 140, 60));
    g.fillOval(w / 4, h / 3, w / 2, h / 2);
    g.setColor(Color.WHITE);
    g.fillRect(w / 8, h / 8, w / 6, h / 6);
    g.dispose();
    return img;
  }

  public static byte[] encode(BufferedImage img, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no writer for " + format);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] png(int w, int h) { return encode(picture(w, h), "png"); }

  /**
   * A PNG of random pixels, the size of a photo's PNG (about 3 bytes a pixel for RGB): what an image part
   * weighs in a real client's upload.
   */
  public static byte[] noisePng(int w, int h, long seed, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    java.util.Random random = new java.util.Random(seed);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, random.nextInt());
    return encode(img, "png");
  }

  public static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
      if (img == null) throw new IllegalStateException("not a decodable image");
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BufferedImage decodeBase64(String b64) { return decode(Base64.getDecoder().decode(b64)); }
}
