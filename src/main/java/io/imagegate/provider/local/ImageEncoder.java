package io.imagegate.provider.local;

import io.imagegate.api.ApiException;
import io.imagegate.api.OutputFormat;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns a picture into file bytes: PNG with the engine's own fast writer, JPEG and WebP through
 * ImageIO. Stateless and thread-safe (ImageIO writers are made per call).
 */
public final class ImageEncoder {
  private ImageEncoder() {}

  /**
   * Encodes {@code img} as {@code format}.
   *
   * @param compression 0-100: the JPEG / WebP quality ({@code compression/100}); 100 gives lossless WebP; ignored for PNG
   * @param alpha keep the alpha channel (PNG, WebP); ignored for JPEG. Without it, translucent pixels
   *     are flattened onto white
   * @throws ApiException {@code invalid_value} for webp when no WebP writer works here
   */
  public static byte[] encode(BufferedImage img, OutputFormat format, int compression, boolean alpha) {
    int w = img.getWidth(), h = img.getHeight();
    boolean keepAlpha = alpha && format.supportsAlpha() && img.getColorModel().hasAlpha();
    int[] px = pixels(img, keepAlpha);
    int q = Math.max(0, Math.min(100, compression));
    return switch (format) {
      case PNG -> PngWriter.encode(px, w, h, keepAlpha);
      case JPEG -> write("jpeg", wrap(px, w, h, false), q / 100f, false);
      case WEBP -> {
        if (!webpWorks()) {
          throw ApiException.invalidValue("output_format", "webp output is not available on this server; use png or jpeg");
        }
        yield write("webp", wrap(px, w, h, keepAlpha), q / 100f, q >= 100);
      }
    };
  }

  /** Row-major 0xAARRGGBB pixels: the image's own array when it is a plain int raster, else a copy. */
  static int[] pixels(BufferedImage img, boolean keepAlpha) {
    int w = img.getWidth(), h = img.getHeight();
    int[] px;
    boolean hasAlpha = img.getColorModel().hasAlpha();
    int type = img.getType();
    boolean direct = (type == BufferedImage.TYPE_INT_ARGB || type == BufferedImage.TYPE_INT_RGB)
        && img.getRaster().getDataBuffer() instanceof DataBufferInt db && db.getNumBanks() == 1
        && img.getRaster().getSampleModel() instanceof SinglePixelPackedSampleModel sm
        && sm.getScanlineStride() == w && img.getRaster().getParent() == null
        && db.getOffset() == 0 && db.getSize() == w * h;
    px = direct ? ((DataBufferInt) img.getRaster().getDataBuffer()).getData() : img.getRGB(0, 0, w, h, null, 0, w);
    if (hasAlpha && !keepAlpha) {
      int[] flat = new int[px.length];
      for (int i = 0; i < px.length; i++) flat[i] = Rgb.over(0xFFFFFFFF, px[i] & 0xFFFFFF, px[i] >>> 24);
      return flat;
    }
    return px;
  }

  /** A BufferedImage over {@code px} without copying: TYPE_INT_ARGB or, without alpha, TYPE_INT_RGB. */
  static BufferedImage wrap(int[] px, int w, int h, boolean alpha) {
    DirectColorModel cm = alpha ? new DirectColorModel(32, 0xFF0000, 0xFF00, 0xFF, 0xFF000000)
        : new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
    int[] masks = alpha ? new int[] {0xFF0000, 0xFF00, 0xFF, 0xFF000000} : new int[] {0xFF0000, 0xFF00, 0xFF};
    WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(px, w * h), w, h, w, masks, null);
    return new BufferedImage(cm, raster, false, null);
  }

  private static byte[] write(String formatName, BufferedImage img, float quality, boolean lossless) {
    Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(formatName);
    if (!it.hasNext()) throw new IllegalStateException("no ImageIO writer for " + formatName);
    ImageWriter writer = it.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(img.getWidth() * img.getHeight() / 4 + 1024);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (param.canWriteCompressed()) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        String[] types = param.getCompressionTypes();
        if (types != null && types.length > 0) param.setCompressionType(pickType(types, lossless));
        if (!lossless || !"webp".equals(formatName)) param.setCompressionQuality(quality);
      }
      writer.write(null, new IIOImage(img, null, null), param);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static String pickType(String[] types, boolean lossless) {
    for (String t : types) {
      if (t.equalsIgnoreCase(lossless ? "Lossless" : "Lossy")) return t;
    }
    return types[0];
  }

  /** Whether a WebP writer is registered and actually encodes here (it needs a native library). */
  public static boolean webpWorks() {
    return WebpProbe.WORKS;
  }

  /** Probed once, on first use: an immutable answer, not mutable state. */
  private static final class WebpProbe {
    static final boolean WORKS = probe();

    private static boolean probe() {
      try {
        int[] px = new int[16];
        java.util.Arrays.fill(px, 0xFF336699);
        byte[] b = write("webp", wrap(px, 4, 4, false), 0.8f, false);
        return b.length > 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
      } catch (RuntimeException | LinkageError e) {
        return false;
      }
    }
  }
}
