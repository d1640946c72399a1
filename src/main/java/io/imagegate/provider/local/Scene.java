package io.imagegate.provider.local;

import io.imagegate.api.Quality;
import io.imagegate.provider.local.PromptStyle.Setting;
import io.imagegate.provider.local.PromptStyle.Time;
import java.util.SplittableRandom;

/**
 * Everything the painters of one picture share: the canvas, what the prompt asked, the palette, the
 * layout (horizon, light source) and the seed. Each painter draws its own random stream from
 * {@link #random(int)}, so adding detail to one layer never reshuffles another.
 */
final class Scene {
  final Canvas c;
  final PromptStyle style;
  final Palette pal;
  final long seed;
  final boolean transparent;
  final int w, h;
  /** The shorter side: shapes scale with it so portrait and landscape both look right. */
  final double unit;
  /** How much to draw: 0.4 (LOW), 1 (MEDIUM), 2 (HIGH). */
  final double detail;
  final int horizon;
  /** Sun or moon centre and radius. */
  final double lightX, lightY, lightR;

  Scene(Canvas c, PromptStyle style, Palette pal, long seed, boolean transparent) {
    this.c = c;
    this.style = style;
    this.pal = pal;
    this.seed = seed;
    this.transparent = transparent;
    this.w = c.w;
    this.h = c.h;
    this.unit = Math.min(w, h);
    this.detail = switch (c.quality) { case LOW -> 0.4; case MEDIUM -> 1.0; case HIGH -> 2.0; };
    SplittableRandom r = random(1);
    double hz = style.has(Setting.SPACE) ? 0.74 : style.has(Setting.MOUNTAIN) ? 0.62 : 0.58;
    this.horizon = (int) Math.round(h * (hz + 0.07 * r.nextDouble()));
    boolean low = style.time == Time.SUNSET || style.time == Time.SUNRISE;
    double side = r.nextDouble();
    this.lightX = w * (side < 0.5 ? 0.14 + 0.52 * side : 0.60 + 0.52 * (side - 0.5));
    this.lightY = low ? horizon - unit * (0.06 + 0.05 * r.nextDouble()) : h * (0.10 + 0.08 * r.nextDouble());
    this.lightR = unit * (style.time == Time.NIGHT ? 0.045 : low ? 0.075 : 0.055);
  }

  SplittableRandom random(int layer) {
    return new SplittableRandom(Hash.mix(seed + 0x9E3779B97F4A7C15L * layer));
  }

  boolean high() { return c.quality == Quality.HIGH; }

  boolean lowQuality() { return c.quality == Quality.LOW; }

  /**
   * How many of a small motif (stars, flakes, drops, tufts) to draw: {@code perSquare} for a square
   * picture at MEDIUM, scaled by detail and by the aspect (a wide picture shows more sky), never by the
   * pixel count, so 4K shows the same scene as 1K with bigger motifs. At least {@code min}.
   */
  int count(double perSquare, int min) {
    return Math.max(min, (int) Math.round(perSquare * detail * ((double) w * h) / (unit * unit)));
  }
}
