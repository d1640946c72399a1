package io.imagegate.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.imagegate.api.ModelFamily;
import io.imagegate.api.Quality;

/**
 * Token accounting of spec §7, used when an upstream reports no usage (and always for the local engine).
 *
 * <p>Implementation notes: text is counted with the o200k_base tokenizer; gpt-image-2 output tokens use
 * the published-calculator formula of §7; gpt-image-1-family output tokens come from its table, scaled by
 * area for other sizes; input images are estimated per model family. Gemini always reports its usage, so its
 * figures here only bound a budget reservation.
 */
public final class TokenMeter {
  private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  private static final int PATCH = 32;
  private static final int MAX_PATCHES = 1536;

  private TokenMeter() {}

  /** Tokens of a prompt under o200k_base. */
  public static long textTokens(String text) {
    return text == null || text.isEmpty() ? 0 : O200K.countTokensOrdinary(text);
  }

  /** Output tokens of one image of {@code width × height} at {@code quality}. */
  public static long outputTokens(ModelFamily family, int width, int height, Quality quality) {
    return switch (family) {
      case GPT_IMAGE_2 -> gptImage2Output(width, height, quality);
      // an estimate (the upstream reports the real count): 1290 up to 2K, 2000 at 4K
      case GEMINI_IMAGE -> Math.max(width, height) > 3072 ? 2000 : 1290;
      case SEEDREAM -> (long) width * height / 256; // as Seedream counts them
      case FLUX, QWEN_IMAGE -> 0; // BFL and DashScope count no tokens: they bill per image

      default -> gptImage1Output(width, height, quality);
    };
  }

  /** Spec §7: f by quality; s = floor((2·f·S + L) / (2·L)); tokens = ceil(f·s·(2,000,000 + w·h) / 4,000,000). */
  static long gptImage2Output(int w, int h, Quality quality) {
    long f = switch (quality) { case LOW -> 16; case MEDIUM -> 48; case HIGH -> 96; };
    long l = Math.max(w, h), s = Math.min(w, h);
    long scaled = (2 * f * s + l) / (2 * l);
    long numerator = f * scaled * (2_000_000L + (long) w * h);
    return (numerator + 3_999_999L) / 4_000_000L;
  }

  static long gptImage1Output(int w, int h, Quality quality) {
    int q = quality.ordinal();
    if (w == 1024 && h == 1024) return new long[] {272, 1056, 4160}[q];
    if (w == 1024 && h == 1536) return new long[] {408, 1584, 6240}[q];
    if (w == 1536 && h == 1024) return new long[] {400, 1568, 6208}[q];
    long square = new long[] {272, 1056, 4160}[q];
    return Math.round(square * ((double) w * h / (1024.0 * 1024.0)));
  }

  /**
   * Tokens of one input image. gpt-image-2: 32-px patches, at most 1,536 (scaled down to fit).
   * gpt-image-1 family: 65 + 129 per 512-px tile after fitting into 2048² and the short side into 768 px;
   * high input fidelity adds the tokens of a high-quality output of the nearest standard shape.
   */
  public static long inputImageTokens(ModelFamily family, int w, int h, boolean highFidelity) {
    if (family == ModelFamily.GPT_IMAGE_2) return patches(w, h);
    if (family == ModelFamily.GEMINI_IMAGE) return 560; // an estimate; Gemini reports the real count
    if (family == ModelFamily.SEEDREAM || family == ModelFamily.FLUX || family == ModelFamily.QWEN_IMAGE) {
      return 0; // none of them counts input tokens
    }
    double scale = Math.min(1.0, 2048.0 / Math.max(w, h));
    double sw = w * scale, sh = h * scale;
    double shortScale = Math.min(1.0, 768.0 / Math.min(sw, sh));
    sw *= shortScale;
    sh *= shortScale;
    long tiles = (long) Math.ceil(sw / 512) * (long) Math.ceil(sh / 512);
    long tokens = 65 + 129 * tiles;
    if (highFidelity) tokens += w == h ? 4160 : 6240;
    return tokens;
  }

  static long patches(int w, int h) {
    long raw = ceilDiv(w, PATCH) * ceilDiv(h, PATCH);
    if (raw <= MAX_PATCHES) return raw;
    double shrink = Math.sqrt((double) MAX_PATCHES * PATCH * PATCH / ((double) w * h));
    double sw = w * shrink, sh = h * shrink;
    // Fit whole patches along the width, then shrink again until the count fits the budget.
    double widthScale = Math.floor(sw / PATCH) / (sw / PATCH);
    sw *= widthScale;
    sh *= widthScale;
    return Math.min(MAX_PATCHES, ceilDiv((long) Math.ceil(sw), PATCH) * ceilDiv((long) Math.ceil(sh), PATCH));
  }

  private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }
}
