package io.imagegate.provider.local;

import io.imagegate.api.ApiException;
import io.imagegate.api.Background;
import io.imagegate.api.OutputFormat;
import io.imagegate.api.Quality;
import io.imagegate.provider.local.PromptStyle.Art;
import java.awt.image.BufferedImage;

/**
 * The embedded image engine: draws a composed scene whose palette, light, setting, subject and style
 * come from the prompt's words, or restyles input images (with an optional mask), then encodes it.
 * No model, no network; deterministic: the same request and index give the same bytes. Stateless and
 * thread-safe.
 */
public final class LocalEngine {
  /** Largest side drawn; the gateway's size validation normally stops far below this. */
  static final int MAX_SIDE = 8192;

  public LocalEngine() {}

  /** Draws image number {@code index} (0..n-1) of the request and returns the encoded file bytes. Thread-safe. */
  public byte[] render(LocalRenderRequest request, int index) {
    if (request.format() == OutputFormat.WEBP && !webpAvailable()) {
      throw ApiException.invalidValue("output_format", "webp output is not available on this server; use png or jpeg");
    }
    BufferedImage img = draw(request, index);
    return ImageEncoder.encode(img, request.format(), request.compression(), transparent(request));
  }

  /**
   * Same as {@link #render}, but returns the raw picture before encoding: TYPE_INT_ARGB with a real
   * alpha channel for a transparent background in a format that has alpha, else TYPE_INT_RGB.
   */
  public BufferedImage draw(LocalRenderRequest request, int index) {
    if (index < 0) throw new IllegalArgumentException("index must be >= 0: " + index);
    return drawSeeded(request, seed(request, index));
  }

  /**
   * A progressive render for streaming: the same scene as {@link #render} (same seed), drawn at
   * {@code 1/2^(steps-step)} of the size at low quality and blown up to full size, so step 0 is the coarsest
   * and every step is coarser than the final image. Encoded in the request's format. Cheap: the first one is
   * ready long before the final image.
   */
  public byte[] renderPartial(LocalRenderRequest request, int index, int step, int steps) {
    int divisor = 1 << Math.max(1, Math.min(6, steps - step + 1));
    int w = Math.max(16, request.width() / divisor), h = Math.max(16, request.height() / divisor);
    LocalRenderRequest small = new LocalRenderRequest(request.prompt(), w, h, Quality.LOW, request.background(),
        request.format(), request.compression(), request.inputs(), request.mask());
    BufferedImage coarse = drawSeeded(small, seed(request, index));
    BufferedImage full = blowUp(coarse, request.width(), request.height());
    return ImageEncoder.encode(full, request.format(), request.compression(), transparent(request));
  }

  /** Nearest-neighbour enlargement on the raw pixels: a few ms even at 4K, where Java2D scaling takes ~100. */
  private static BufferedImage blowUp(BufferedImage small, int w, int h) {
    int sw = small.getWidth(), sh = small.getHeight();
    int type = small.getType() == BufferedImage.TYPE_INT_ARGB ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    if (small.getType() != type) {
      BufferedImage converted = new BufferedImage(sw, sh, type);
      converted.getGraphics().drawImage(small, 0, 0, null);
      small = converted;
    }
    int[] src = ((java.awt.image.DataBufferInt) small.getRaster().getDataBuffer()).getData();
    BufferedImage full = new BufferedImage(w, h, type);
    int[] dst = ((java.awt.image.DataBufferInt) full.getRaster().getDataBuffer()).getData();
    int[] column = new int[w];
    for (int x = 0; x < w; x++) column[x] = Math.min(sw - 1, (int) ((long) x * sw / w));
    int lastRow = -1;
    for (int y = 0; y < h; y++) {
      int row = Math.min(sh - 1, (int) ((long) y * sh / h));
      if (row == lastRow) {
        System.arraycopy(dst, (y - 1) * w, dst, y * w, w);
        continue;
      }
      int from = row * sw, to = y * w;
      for (int x = 0; x < w; x++) dst[to + x] = src[from + column[x]];
      lastRow = row;
    }
    return full;
  }

  private BufferedImage drawSeeded(LocalRenderRequest request, long seed) {
    int w = request.width(), h = request.height();
    if (w > MAX_SIDE || h > MAX_SIDE) {
      throw ApiException.invalidValue("size", "the local engine draws at most " + MAX_SIDE + " pixels per side");
    }
    PromptStyle style = PromptStyle.parse(request.prompt());
    boolean alpha = transparent(request);
    if (!request.inputs().isEmpty()) return ImageRestyler.restyle(request, style, seed, alpha);
    if (style.art == Art.PIXEL) return pixelArt(request, style, seed, alpha);
    Canvas c = new Canvas(w, h, request.quality());
    SceneRenderer.render(new Scene(c, style, new Palette(style), seed, alpha));
    return c.toImage(alpha);
  }

  /** True when an ImageIO WebP writer works here. */
  public static boolean webpAvailable() {
    return ImageEncoder.webpWorks();
  }

  private static boolean transparent(LocalRenderRequest r) {
    return r.background() == Background.TRANSPARENT && r.format().supportsAlpha();
  }

  /** Seed from prompt, size, quality and index: not from format or background, so those keep the layout. */
  static long seed(LocalRenderRequest r, int index) {
    long s = PromptStyle.fnv(r.prompt());
    s = Hash.mix(s ^ (long) r.width() * 0x9E3779B97F4A7C15L);
    s = Hash.mix(s ^ (long) r.height() * 0xC2B2AE3D27D4EB4FL);
    s = Hash.mix(s ^ (r.quality().ordinal() + 1L) * 0x165667B19E3779F9L);
    return Hash.mix(s ^ (index + 1L) * 0x27D4EB2F165667C5L);
  }

  /** Pixel art: the scene drawn small without antialiasing, cut to a few colour levels, blown up nearest-neighbour. */
  private static BufferedImage pixelArt(LocalRenderRequest r, PromptStyle style, long seed, boolean alpha) {
    int w = r.width(), h = r.height();
    int block = Math.max(2, Math.min(w, h) / (r.quality() == Quality.HIGH ? 200 : r.quality() == Quality.MEDIUM ? 160 : 120));
    int sw = (w + block - 1) / block, sh = (h + block - 1) / block;
    Canvas small = new Canvas(sw, sh, r.quality(), false);
    SceneRenderer.render(new Scene(small, style, new Palette(style), seed, alpha));
    small.dispose();
    StyleFilters.posterize(small, r.quality() == Quality.LOW ? 7 : 9);
    Canvas big = new Canvas(w, h, r.quality());
    upscale(small.px, sw, block, big.px, w, h);
    return big.toImage(alpha);
  }

  static void upscale(int[] src, int sw, int block, int[] dst, int w, int h) {
    for (int y = 0; y < h; y++) {
      int row = y * w;
      if (y % block != 0) {
        System.arraycopy(dst, row - w, dst, row, w);
        continue;
      }
      int srow = y / block * sw;
      for (int x = 0; x < w; x++) dst[row + x] = src[srow + x / block];
    }
  }
}
