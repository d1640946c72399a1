package io.imagegate.image;

import io.imagegate.api.ApiException;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Full decode of an input image whose header already passed {@link ImageProbe} and the limits. */
public final class ImageDecoder {
  private ImageDecoder() {}

  /**
   * Decodes the first image with the ImageIO reader of the format found by content (webp through
   * webp-imageio), as {@link BufferedImage#TYPE_INT_ARGB}.
   *
   * @throws ApiException {@code invalid_image} "could not decode the image" when the data behind
   *     a valid header is broken or uses a variant the reader lacks (e.g. CMYK JPEG)
   */
  public static BufferedImage decode(InputImage image, String param) {
    ImageFormat format = image.info().format();
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + format); // a deployment bug
    }
    ImageReader reader = readers.next();
    // memory-backed stream: ImageIO's default may spill to temp files
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image.bytes()))) {
      reader.setInput(in, true, true);
      if (reader.getWidth(0) != image.info().width() || reader.getHeight(0) != image.info().height()) {
        throw couldNotDecode(param); // the header we checked is not the one the decoder reads
      }
      return toArgb(reader.read(0));
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiException api) {
        throw api;
      }
      // decoders throw all sorts of unchecked exceptions on corrupt data
      throw couldNotDecode(param);
    } finally {
      reader.dispose();
    }
  }

  private static BufferedImage toArgb(BufferedImage decoded) {
    if (decoded.getType() == BufferedImage.TYPE_INT_ARGB) {
      return decoded;
    }
    BufferedImage argb = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = argb.createGraphics();
    try {
      g.setComposite(AlphaComposite.Src); // copy pixels as they are; blending would shift them
      g.drawImage(decoded, 0, 0, null);
    } finally {
      g.dispose();
    }
    return argb;
  }

  private static ApiException couldNotDecode(String param) {
    return ApiException.invalidImage(param, "Could not decode the image; it may be truncated or "
        + "corrupt. Send a complete png, jpeg or webp file.");
  }
}
