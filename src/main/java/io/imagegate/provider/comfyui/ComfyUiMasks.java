package io.imagegate.provider.comfyui;

import io.imagegate.api.ApiException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * The OpenAI mask as ComfyUI's {@code /upload/mask} takes it. OpenAI's mask is transparent where the image
 * is to be edited. ComfyUI's {@code /upload/mask} copies the uploaded file's alpha channel into the image it
 * names, and {@code LoadImage} gives {@code 1 - alpha} as its MASK output, whose 1 is the area a workflow
 * repaints: so the alpha carries over unchanged, and the mask is rewritten as an 8-bit RGBA PNG (black, with
 * the mask's own alpha) whatever PNG type the client sent (grey with alpha, a palette with transparency).
 */
final class ComfyUiMasks {
  private ComfyUiMasks() {}

  static byte[] alphaPng(byte[] mask) {
    BufferedImage in;
    try {
      in = ImageIO.read(new ByteArrayInputStream(mask));
    } catch (IOException e) {
      in = null;
    }
    if (in == null) throw ApiException.invalidImage("mask", "The mask could not be read as an image.");
    BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < in.getHeight(); y++) {
      for (int x = 0; x < in.getWidth(); x++) out.setRGB(x, y, in.getRGB(x, y) & 0xFF000000);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(out, "png", png);
    } catch (IOException e) {
      throw new IllegalStateException("writing a PNG in memory does not fail", e);
    }
    return png.toByteArray();
  }
}
