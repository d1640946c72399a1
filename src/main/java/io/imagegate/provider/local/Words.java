package io.imagegate.provider.local;

import io.imagegate.provider.local.PromptStyle.Art;
import io.imagegate.provider.local.PromptStyle.Builder;
import io.imagegate.provider.local.PromptStyle.Setting;
import io.imagegate.provider.local.PromptStyle.Subject;
import io.imagegate.provider.local.PromptStyle.Time;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The vocabulary the engine understands. Immutable tables. */
final class Words {
  private Words() {}

  static final Map<String, Integer> COLOURS = Map.ofEntries(
      Map.entry("red", 0xD42A2A), Map.entry("crimson", 0xB0102A), Map.entry("scarlet", 0xE0301E),
      Map.entry("orange", 0xF08A24), Map.entry("amber", 0xF0A830), Map.entry("yellow", 0xF2D43A),
      Map.entry("gold", 0xE8B83A), Map.entry("golden", 0xE8B040), Map.entry("green", 0x3AA845),
      Map.entry("emerald", 0x1E9E62), Map.entry("lime", 0x9AD43A), Map.entry("teal", 0x1E9A9A),
      Map.entry("cyan", 0x2AD4E8), Map.entry("turquoise", 0x30C8C0), Map.entry("blue", 0x2A5AD4),
      Map.entry("navy", 0x1A2A6A), Map.entry("azure", 0x3A8AE8), Map.entry("purple", 0x8A3AC8),
      Map.entry("violet", 0x9A4AE0), Map.entry("magenta", 0xE02AC0), Map.entry("pink", 0xF08AB8),
      Map.entry("rose", 0xE86A8A), Map.entry("brown", 0x7A4A24), Map.entry("white", 0xF4F4F0),
      Map.entry("black", 0x18181C), Map.entry("grey", 0x8A8A8E), Map.entry("gray", 0x8A8A8E),
      Map.entry("silver", 0xC0C4CC), Map.entry("ginger", 0xD8782A), Map.entry("tabby", 0xA0783E));

  static final Map<String, Subject> SUBJECTS = Map.ofEntries(
      Map.entry("cat", Subject.CAT), Map.entry("kitten", Subject.CAT), Map.entry("kitty", Subject.CAT),
      Map.entry("dog", Subject.DOG), Map.entry("puppy", Subject.DOG), Map.entry("wolf", Subject.DOG),
      Map.entry("fox", Subject.DOG), Map.entry("house", Subject.HOUSE), Map.entry("home", Subject.HOUSE),
      Map.entry("cottage", Subject.HOUSE), Map.entry("cabin", Subject.HOUSE), Map.entry("hut", Subject.HOUSE),
      Map.entry("barn", Subject.BARN), Map.entry("farmhouse", Subject.BARN), Map.entry("castle", Subject.CASTLE),
      Map.entry("palace", Subject.CASTLE), Map.entry("fortress", Subject.CASTLE), Map.entry("tower", Subject.CASTLE),
      Map.entry("tree", Subject.TREE), Map.entry("oak", Subject.TREE), Map.entry("car", Subject.CAR),
      Map.entry("truck", Subject.CAR), Map.entry("taxi", Subject.CAR), Map.entry("person", Subject.PERSON),
      Map.entry("man", Subject.PERSON), Map.entry("woman", Subject.PERSON), Map.entry("girl", Subject.PERSON),
      Map.entry("boy", Subject.PERSON), Map.entry("child", Subject.PERSON), Map.entry("astronaut", Subject.ASTRONAUT),
      Map.entry("knight", Subject.PERSON), Map.entry("runner", Subject.PERSON), Map.entry("people", Subject.PERSON), Map.entry("spaceman", Subject.ASTRONAUT),
      Map.entry("bird", Subject.BIRD), Map.entry("eagle", Subject.BIRD), Map.entry("owl", Subject.BIRD),
      Map.entry("crow", Subject.BIRD), Map.entry("dragon", Subject.BIRD), Map.entry("boat", Subject.BOAT),
      Map.entry("ship", Subject.BOAT), Map.entry("sailboat", Subject.BOAT), Map.entry("yacht", Subject.BOAT),
      Map.entry("robot", Subject.ROBOT), Map.entry("android", Subject.ROBOT), Map.entry("mech", Subject.ROBOT),
      Map.entry("orb", Subject.ORB), Map.entry("sphere", Subject.ORB), Map.entry("portal", Subject.ORB));

  static final Map<String, Consumer<Builder>> FLAGS;
  static final Map<String, Consumer<Builder>> PAIRS = Map.of(
      "pixel art", b -> b.art = Art.PIXEL, "golden hour", b -> b.time = Time.SUNSET,
      "oil painting", b -> b.art = Art.OIL,
      "blade runner", b -> b.art = Art.CYBERPUNK, "line art", b -> b.art = Art.SKETCH);

  static {
    Map<String, Consumer<Builder>> f = new HashMap<>();
    times(f, Time.SUNRISE, "sunrise", "dawn", "morning", "daybreak");
    times(f, Time.DAY, "day", "noon", "midday", "afternoon", "daytime", "sunny", "daylight");
    times(f, Time.SUNSET, "sunset", "dusk", "evening", "twilight", "sundown");
    times(f, Time.NIGHT, "night", "midnight", "nighttime", "moon", "moonlit", "moonlight", "dark", "nocturnal");
    settings(f, Setting.FIELD, "field", "meadow", "farm", "countryside", "grass", "prairie", "garden", "park", "hills");
    settings(f, Setting.CITY, "city", "town", "street", "skyline", "urban", "downtown", "metropolis", "buildings",
        "skyscraper", "skyscrapers", "village", "alley", "rooftop", "rooftops");
    settings(f, Setting.BEACH, "beach", "shore", "coast", "seaside", "tropical", "palm", "island", "sand");
    settings(f, Setting.FOREST, "forest", "woods", "jungle", "woodland", "trees", "pine", "pines");
    settings(f, Setting.MOUNTAIN, "mountain", "mountains", "peak", "peaks", "alps", "cliff", "volcano", "valley");
    settings(f, Setting.OCEAN, "ocean", "sea", "waves", "wave", "lake", "water", "harbor", "harbour", "river", "bay");
    settings(f, Setting.DESERT, "desert", "dunes", "dune", "sahara", "canyon", "cactus");
    settings(f, Setting.SPACE, "space", "galaxy", "planet", "nebula", "cosmos", "universe", "orbit", "cosmic");
    arts(f, Art.CYBERPUNK, "cyberpunk", "neon", "synthwave", "vaporwave", "futuristic", "retrowave", "scifi", "cyber");
    arts(f, Art.WATERCOLOR, "watercolor", "watercolour", "aquarelle", "pastel", "gouache");
    arts(f, Art.PIXEL, "pixel", "pixelated", "8bit", "16bit", "retro", "pixelart");
    arts(f, Art.OIL, "oil", "painting", "painted", "impasto", "impressionist", "impressionism", "canvas");
    arts(f, Art.SKETCH, "sketch", "pencil", "drawing", "charcoal", "ink", "graphite", "sketched");
    arts(f, Art.MONO, "monochrome", "noir", "grayscale", "greyscale", "bw");
    flag(f, b -> b.clouds = true, "cloud", "clouds", "cloudy", "overcast");
    flag(f, b -> b.rain = true, "rain", "rainy", "raining", "drizzle", "rainfall", "wet");
    flag(f, b -> b.snow = true, "snow", "snowy", "snowing", "winter", "blizzard", "frozen", "icy", "snowfall");
    flag(f, b -> b.fog = true, "fog", "foggy", "mist", "misty", "haze", "hazy");
    flag(f, b -> { b.storm = true; b.rain = true; }, "storm", "stormy", "thunder", "lightning", "thunderstorm");
    flag(f, b -> b.moving = true, "running", "run", "runs", "jumping", "leaping", "racing", "chasing", "flying");
    flag(f, b -> b.autumn = true, "autumn", "fall", "autumnal");
    flag(f, b -> b.stars = true, "star", "stars", "starry", "starlit", "starlight");
    FLAGS = Map.copyOf(f);
  }

  /** The table key for a word, trying a plain plural strip; null if unknown. */
  static String known(String w) {
    if (COLOURS.containsKey(w) || SUBJECTS.containsKey(w) || FLAGS.containsKey(w)) return w;
    if (w.length() > 3 && w.endsWith("s")) {
      String s = w.substring(0, w.length() - 1);
      if (COLOURS.containsKey(s) || SUBJECTS.containsKey(s) || FLAGS.containsKey(s)) return s;
    }
    return null;
  }

  private static void times(Map<String, Consumer<Builder>> f, Time t, String... words) {
    for (String w : words) f.put(w, b -> { if (b.time == null) b.time = t; });
  }

  private static void settings(Map<String, Consumer<Builder>> f, Setting s, String... words) {
    for (String w : words) f.put(w, b -> b.settings.add(s));
  }

  private static void arts(Map<String, Consumer<Builder>> f, Art a, String... words) {
    for (String w : words) f.put(w, b -> { if (b.art == null) b.art = a; });
  }

  private static void flag(Map<String, Consumer<Builder>> f, Consumer<Builder> c, String... words) {
    for (String w : words) f.put(w, c);
  }
}
