package io.imagegate.provider.local;

import io.imagegate.provider.local.PromptStyle.Art;
import io.imagegate.provider.local.PromptStyle.Setting;
import io.imagegate.provider.local.PromptStyle.Time;

/**
 * The colours and light of one scene, derived from a {@link PromptStyle}: time of day sets the sky
 * and the light, weather greys it, the art style and colour words pull everything toward their hues,
 * and the prompt hash nudges the hue so unknown words still change the picture. Immutable.
 */
final class Palette {
  final int skyTop, skyMid, skyLow, sun, glow, cloud, cloudShade, fog, water, neonA, neonB, window;
  /** Ambient light 0..1 and the colour the shadows lean to. */
  final double light;
  final int ambient;
  final double tint;
  final boolean night;
  private final int accent;
  private final double accentAmt;

  Palette(PromptStyle s) {
    int top, mid, low, sunC, glowC, amb;
    double lt, tn;
    switch (s.time) {
      case SUNRISE -> { top = 0x3A4C9A; mid = 0xE39AA8; low = 0xFFD49A; sunC = 0xFFEFC0; glowC = 0xFFB070;
        lt = 0.85; amb = 0xFFB890; tn = 0.15; }
      case SUNSET -> { top = 0x2C2A72; mid = 0xD8607A; low = 0xFFA444; sunC = 0xFFD080; glowC = 0xFF8030;
        lt = 0.72; amb = 0xFF8040; tn = 0.22; }
      case NIGHT -> { top = 0x03050F; mid = 0x0C1838; low = 0x243C6E; sunC = 0xF2F2E4; glowC = 0x6070A8;
        lt = 0.40; amb = 0x3050A0; tn = 0.30; }
      default -> { top = 0x2C6CD0; mid = 0x6CA8EA; low = 0xCAE2F6; sunC = 0xFFFBE8; glowC = 0xFFF0C8;
        lt = 1.0; amb = 0xFFFFFF; tn = 0.0; }
    }
    int neon1 = 0xFF2AD4, neon2 = 0x20E8FF;
    if (s.art == Art.CYBERPUNK) {
      top = 0x0A0224; mid = 0x3A0A62; low = s.time == Time.DAY ? 0xFF5AA0 : 0xE0207A;
      glowC = 0xFF3AB0; lt = Math.min(lt, 0.55); amb = 0x8040C0; tn = 0.35;
    }
    if (s.has(Setting.SPACE)) {
      top = 0x010104; mid = 0x070718; low = 0x141432; lt = Math.min(lt, 0.55); amb = 0x5060A0; tn = 0.2;
    }
    int grey = s.storm ? 0x34323E : s.rain ? 0x6C7482 : s.snow ? 0xC4CCD6 : 0x9AA0A8;
    double greyAmt = s.storm ? 0.7 : s.rain ? 0.5 : s.snow ? 0.3 : s.clouds ? 0.2 : 0;
    if (s.time == Time.NIGHT) grey = Rgb.scale(grey, 0.25);
    top = Rgb.mix(top, grey, greyAmt);
    mid = Rgb.mix(mid, grey, greyAmt);
    low = Rgb.mix(low, grey, greyAmt);
    if (s.storm) lt *= 0.65;
    else if (s.rain) lt *= 0.82;

    // colour words tint the whole scene; the first one most
    int acc = -1;
    double accAmt = 0;
    for (int i = 0; i < Math.min(3, s.accents.size()); i++) {
      int a = s.accents.get(i);
      double k = 0.8 / (i + 1);
      // keep the sky's light (dark top, bright horizon) but take the colour word's hue
      top = Rgb.mix(top, Rgb.scale(a, 0.3 + 0.3 * lt), k);
      mid = Rgb.mix(mid, Rgb.scale(a, 0.6 + 0.4 * lt), k);
      low = Rgb.mix(low, Rgb.mix(a, 0xFFFFFF, 0.25 * lt), k * 0.9);
      if (i == 0) { acc = a; accAmt = 0.3; neon1 = s.art == Art.CYBERPUNK ? a : neon1; }
    }
    // unknown words still count: a small hue turn from the prompt hash
    double turn = ((Hash.mix(s.hash) >>> 40) % 25) - 12;
    top = Rgb.hueShift(top, turn);
    mid = Rgb.hueShift(mid, turn);
    low = Rgb.hueShift(low, turn);

    int cl = s.time == Time.NIGHT ? 0x5A6480 : s.time == Time.DAY ? 0xFAFCFF : Rgb.mix(0xFFF0E8, low, 0.4);
    int cs = s.time == Time.NIGHT ? 0x262C40 : s.time == Time.DAY ? 0xB8C4D6 : Rgb.mix(0x7A5A80, mid, 0.3);
    if (s.storm || s.rain) { cl = Rgb.mix(cl, 0x70747C, 0.6); cs = Rgb.mix(cs, 0x34343C, 0.6); }
    int fogC = Rgb.mix(low, s.time == Time.NIGHT ? 0x3A4458 : 0xD8DCE0, 0.55);
    int waterC = Rgb.mix(Rgb.mix(0x1C5A8C, mid, 0.35), Rgb.scale(top, 1.2), 0.25);

    if (acc >= 0) {
      cl = Rgb.mix(cl, acc, 0.2);
      cs = Rgb.mix(cs, acc, 0.3);
    }
    if (s.art == Art.WATERCOLOR) {
      // washed: lighter, less saturated, paper showing through
      int paper = 0xF6F0E2;
      top = wash(top, paper); mid = wash(mid, paper); low = wash(low, paper);
      cl = wash(cl, paper); cs = wash(cs, paper); waterC = wash(waterC, paper);
      lt = 0.55 + lt * 0.45;
    } else if (s.art == Art.OIL) {
      top = Rgb.saturate(top, 1.25); mid = Rgb.saturate(mid, 1.3); low = Rgb.saturate(low, 1.3);
    }
    skyTop = top; skyMid = mid; skyLow = low; sun = sunC; glow = glowC; cloud = cl; cloudShade = cs;
    fog = fogC; water = waterC; neonA = neon1; neonB = neon2;
    window = s.art == Art.CYBERPUNK ? 0x60F0FF : 0xFFD27A;
    light = lt; ambient = amb; tint = tn; night = s.time == Time.NIGHT || s.has(Setting.SPACE);
    accent = acc; accentAmt = accAmt;
  }

  private static int wash(int c, int paper) { return Rgb.mix(Rgb.saturate(c, 0.75), paper, 0.3); }

  /** An object's colour under this scene's light: darker at night, leaning to the ambient hue and accents. */
  int lit(int c) {
    return lit(c, light);
  }

  /** Like {@link #lit(int)} but never darker than {@code minLight}: keeps the subject readable at night. */
  int lit(int c, double minLight) {
    double l = Math.max(light, minLight);
    int out = Rgb.mix(Rgb.scale(c, l), Rgb.scale(ambient, l), tint);
    return accent < 0 ? out : Rgb.mix(out, Rgb.scale(accent, l), accentAmt);
  }

  /**
   * A colour the prompt named for the subject ("a white cat"): bright enough and only lightly tinted,
   * so it still reads as that colour at night or under neon.
   */
  int named(int c) {
    double l = Math.max(light, 0.88);
    return Rgb.mix(Rgb.scale(c, l), Rgb.scale(ambient, l), tint * 0.3);
  }

  /** Distant things fade into the horizon sky: {@code depth} 0 (near) .. 1 (at the horizon). */
  int aerial(int c, double depth) {
    return Rgb.mix(lit(c), skyLow, Math.min(0.85, depth * (night ? 0.5 : 0.75)));
  }
}
