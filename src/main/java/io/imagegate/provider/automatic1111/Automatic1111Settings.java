package io.imagegate.provider.automatic1111;

import io.imagegate.api.ApiException;
import io.imagegate.api.ImageSize;
import io.imagegate.config.DeploymentConfig;
import java.util.Locale;

/**
 * One deployment's own settings, read once: its size limits and default size, its caps on {@code n} and on
 * one batch, its steps table, its progress poll interval and its {@link Passthrough} fields. A setting
 * that does not read is an {@link IllegalArgumentException} at start, naming the deployment.
 */
final class Automatic1111Settings {
  final int multiple;
  final int maxSide;
  final ImageSize defaultSize;
  final int maxN;
  final int maxBatch;
  final int progressIntervalMs;
  final Passthrough passthrough;
  private final int low;
  private final int medium;
  private final int high;
  private final int auto;

  /** A1111's batches for {@code n} images: {@code batchSize} × {@code iterations} = n exactly. */
  record Batches(int batchSize, int iterations) {}

  Automatic1111Settings(DeploymentConfig d) {
    multiple = count(d, Automatic1111Provider.SIZE_MULTIPLE);
    maxSide = count(d, Automatic1111Provider.MAX_SIDE);
    maxN = count(d, Automatic1111Provider.MAX_N);
    maxBatch = count(d, Automatic1111Provider.MAX_BATCH);
    progressIntervalMs = count(d, Automatic1111Provider.PROGRESS_INTERVAL_MS);
    low = count(d, Automatic1111Provider.STEPS + "low");
    medium = count(d, Automatic1111Provider.STEPS + "medium");
    high = count(d, Automatic1111Provider.STEPS + "high");
    auto = count(d, Automatic1111Provider.STEPS + "auto");
    passthrough = Passthrough.parse(option(d, Automatic1111Provider.PASSTHROUGH), d.name());
    String size = option(d, Automatic1111Provider.DEFAULT_SIZE).strip().toLowerCase(Locale.ROOT);
    String[] wh = size.split("x");
    try {
      if (wh.length != 2) throw new NumberFormatException();
      defaultSize = new ImageSize(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("deployment " + d.name() + ": default_size must be WxH, got '" + size + "'");
    }
    if (sizeProblem(defaultSize) != null) {
      throw new IllegalArgumentException("deployment " + d.name() + ": default_size " + size + ": "
          + sizeProblem(defaultSize));
    }
  }

  /** The size to draw: the request's, or the default for auto; a 400 on {@code size} naming the rule broken. */
  ImageSize size(ImageSize asked) {
    if (asked == null) return defaultSize;
    String problem = sizeProblem(asked);
    if (problem != null) {
      throw ApiException.invalidValue("size", "The size " + asked + " cannot be drawn by this deployment: " + problem + ".");
    }
    return asked;
  }

  private String sizeProblem(ImageSize s) {
    if (s.width() % multiple != 0 || s.height() % multiple != 0) {
      return "width and height must be multiples of " + multiple;
    }
    if (s.width() > maxSide || s.height() > maxSide) return "width and height must be at most " + maxSide;
    if (s.width() < multiple || s.height() < multiple) return "width and height must be at least " + multiple;
    return null;
  }

  /**
   * {@code n} as batches: one batch when it fits {@code max_batch}, else the largest batch size up to it
   * that divides {@code n}, so that exactly {@code n} images are drawn (7 with a cap of 4 is 1 × 7).
   */
  Batches batches(int n) {
    if (n > maxN) {
      throw ApiException.invalidValue("n", "'n' " + n + " is more than this deployment draws at once (at most " + maxN + ").");
    }
    for (int b = Math.min(n, maxBatch); b >= 1; b--) {
      if (n % b == 0) return new Batches(b, n / b);
    }
    return new Batches(1, n);
  }

  /** The steps for a sent quality (null for none). */
  int steps(String quality) {
    if (quality == null) return auto;
    return switch (quality) {
      case "low" -> low;
      case "medium" -> medium;
      case "high" -> high;
      default -> auto;
    };
  }

  private static String option(DeploymentConfig d, String key) {
    String v = d.option(key);
    return v == null ? "" : v;
  }

  private static int count(DeploymentConfig d, String key) {
    String value = d.option(key);
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1) return n;
    } catch (NumberFormatException | NullPointerException notANumber) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("deployment " + d.name() + ": " + key + " must be a whole number"
        + " of at least 1, got '" + value + "'");
  }
}
