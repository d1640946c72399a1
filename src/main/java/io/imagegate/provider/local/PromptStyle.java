package io.imagegate.provider.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a prompt asks for, read from its words: time of day, weather, setting, art style, the subject
 * noun and colour words. Words it does not know still count through {@link #hash}, which picks the
 * defaults, so every prompt looks different. Immutable.
 */
final class PromptStyle {
  enum Time { SUNRISE, DAY, SUNSET, NIGHT }

  enum Setting { FIELD, CITY, BEACH, FOREST, MOUNTAIN, OCEAN, DESERT, SPACE }

  enum Art { PLAIN, CYBERPUNK, WATERCOLOR, PIXEL, OIL, SKETCH, MONO }

  enum Subject { NONE, CAT, DOG, HOUSE, BARN, CASTLE, TREE, CAR, PERSON, ASTRONAUT, BIRD, BOAT, ROBOT, ORB }

  final long hash;
  final Time time;
  /** Whether the prompt named the time itself (edits only re-light when it did). */
  final boolean timeGiven;
  final Set<Setting> settings;
  final Art art;
  final Subject subject;
  /** The colour word right before the subject noun (0xRRGGBB), or -1. */
  final int subjectColour;
  /** Other colour words, in prompt order: they tint the whole scene. */
  final List<Integer> accents;
  final boolean clouds, rain, snow, fog, storm, moving, autumn, stars;

  private PromptStyle(Builder b) {
    hash = b.hash;
    timeGiven = b.time != null;
    art = b.art == null ? Art.PLAIN : b.art;
    Set<Setting> s = b.settings.isEmpty() ? EnumSet.noneOf(Setting.class) : EnumSet.copyOf(b.settings);
    Subject subj = b.subject == null ? Subject.NONE : b.subject;
    if (s.isEmpty()) s.add(defaultSetting(subj, art, b.hash));
    if (subj == Subject.NONE && b.settings.isEmpty()) {
      subj = pick(b.hash >>> 8, Subject.TREE, Subject.HOUSE, Subject.ORB, Subject.TREE);
    }
    Time t = b.time;
    if (t == null) {
      if (s.contains(Setting.SPACE) || art == Art.CYBERPUNK || b.stars) t = Time.NIGHT;
      else t = pick(b.hash >>> 16, Time.DAY, Time.DAY, Time.SUNSET, Time.DAY, Time.SUNRISE, Time.NIGHT);
    }
    time = t;
    settings = java.util.Collections.unmodifiableSet(s);
    subject = subj;
    subjectColour = b.subjectColour;
    accents = List.copyOf(b.accents);
    clouds = b.clouds;
    rain = b.rain;
    snow = b.snow;
    fog = b.fog;
    storm = b.storm;
    moving = b.moving;
    autumn = b.autumn;
    stars = b.stars || time == Time.NIGHT;
  }

  /** Reads a prompt; never fails. */
  static PromptStyle parse(String prompt) {
    Builder b = new Builder();
    b.hash = fnv(prompt);
    List<String> words = words(prompt);
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i), next = i + 1 < words.size() ? words.get(i + 1) : "";
      String pair = w + " " + next;
      if (Words.PAIRS.containsKey(pair)) {
        Words.PAIRS.get(pair).accept(b);
        i++;
        continue;
      }
      String key = Words.known(w);
      if (key == null) continue;
      Integer colour = Words.COLOURS.get(key);
      if (colour != null) {
        if (b.subjectColour < 0 && subjectFollows(words, i)) b.subjectColour = colour;
        else b.accents.add(colour);
        continue;
      }
      Subject subj = Words.SUBJECTS.get(key);
      if (subj != null) {
        if (b.subject == null) b.subject = subj;
        continue;
      }
      var action = Words.FLAGS.get(key);
      if (action != null) action.accept(b);
    }
    return new PromptStyle(b);
  }

  private static boolean subjectFollows(List<String> words, int i) {
    // "a white fluffy cat": the colour belongs to a subject noun within the next three words
    for (int j = i + 1; j < Math.min(words.size(), i + 4); j++) {
      String k = Words.known(words.get(j));
      if (k != null && Words.SUBJECTS.containsKey(k)) return true;
      if (k != null && (Words.FLAGS.containsKey(k) || Words.COLOURS.containsKey(k))) return false;
    }
    return false;
  }

  static List<String> words(String prompt) {
    List<String> out = new ArrayList<>();
    String p = prompt.toLowerCase(Locale.ROOT)
        .replace("black and white", "monochrome").replace("black & white", "monochrome")
        .replace("8-bit", "8bit").replace("16-bit", "16bit").replace("sci-fi", "scifi");
    for (String w : p.split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) out.add(w);
    }
    return out;
  }

  private static Setting defaultSetting(Subject subject, Art art, long hash) {
    if (art == Art.CYBERPUNK) return Setting.CITY;
    return switch (subject) {
      case BOAT -> Setting.OCEAN;
      case CAR, ROBOT -> Setting.CITY;
      case CASTLE -> Setting.MOUNTAIN;
      case ASTRONAUT -> Setting.SPACE;
      case BARN -> Setting.FIELD;
      default -> pick(hash, Setting.FIELD, Setting.MOUNTAIN, Setting.FIELD, Setting.FOREST, Setting.BEACH,
          Setting.DESERT, Setting.CITY);
    };
  }

  @SafeVarargs
  private static <T> T pick(long h, T... options) {
    return options[(int) Long.remainderUnsigned(Hash.mix(h), options.length)];
  }

  /** FNV-1a over UTF-8: a stable hash (String.hashCode is too weak for seeding). */
  static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return h;
  }

  boolean has(Setting s) { return settings.contains(s); }

  /** Mutable state while reading words; only used by {@link #parse}. */
  static final class Builder {
    long hash;
    Time time;
    Art art;
    Subject subject;
    int subjectColour = -1;
    final EnumSet<Setting> settings = EnumSet.noneOf(Setting.class);
    final List<Integer> accents = new ArrayList<>();
    boolean clouds, rain, snow, fog, storm, moving, autumn, stars;
  }
}
