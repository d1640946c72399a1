package io.imagegate.provider.automatic1111;

import io.imagegate.image.ImageDecoder;
import io.imagegate.image.InputImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * An OpenAI mask, whose fully transparent pixels (alpha 0) mark the area to edit, as A1111 wants it: an
 * opaque grey PNG of the edited image's size, white where it repaints and black where it keeps. A mask of
 * another size is scaled to the image by nearest neighbour.
 */
final class MaskConversion {
  private static final int WHITE = 0xFFFFFF;

  private MaskConversion() {}

  static byte[] toA1111(InputImage mask, int width, int height) {
    BufferedImage source = ImageDecoder.decode(mask, "mask");
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    int sw = source.getWidth();
    int sh = source.getHeight();
    boolean alpha = mask.info().hasAlpha(); // decoded as ARGB either way
    for (int y = 0; y < height; y++) {
      int sy = (int) ((long) y * sh / height);
      for (int x = 0; x < width; x++) {
        int sx = (int) ((long) x * sw / width);
        boolean edit = alpha && (source.getRGB(sx, sy) >>> 24) == 0;
        out.setRGB(x, y, edit ? WHITE : 0);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(out, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a PNG to memory cannot fail", e);
    }
    return png.toByteArray();
  }
}
