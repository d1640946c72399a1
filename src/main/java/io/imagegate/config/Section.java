package io.imagegate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;


/**
 * One mapping of the config file with typed, validating accessors. Creating it rejects keys it does not
 * know (with a "did you mean"); every accessor error names the file, line and field path. A key that is
 * absent or YAML null reads as "not set" (null), so that defaults apply.
 */
final class Section {
  private final String source;
  private final YamlNode.Mapping node;

  private Section(String source, YamlNode.Mapping node) {
    this.source = source;
    this.node = node;
  }

  /**
   * The section over {@code node}.
   *
   * @throws ConfigException at the first key not in {@code known}
   */
  static Section of(String source, YamlNode.Mapping node, List<String> known) {
    for (YamlNode.Entry e : node.entries().values()) {
      if (!known.contains(e.key())) {
        String hint = Suggest.hint(e.key(), known);
        throw new ConfigException(source, e.keyLine(), YamlNode.child(node.path(), e.key()), "unknown key"
            + (hint.isEmpty() ? " (known here: " + String.join(", ", known) + ")" : hint));
      }
    }
    return new Section(source, node);
  }

  String source() { return source; }

  /** The line of this section's key (1 for the root). */
  int line() { return node.line(); }

  String path() { return node.path(); }

  /** The entries, in file order. */
  Map<String, YamlNode.Entry> entries() { return node.entries(); }

  /** True when the key is present with a non-null value. */
  boolean has(String key) { return node(key) != null; }

  /** The value of {@code key}, or null when absent or YAML null. */
  YamlNode node(String key) {
    YamlNode.Entry e = node.entries().get(key);
    if (e == null) return null;
    return e.value() instanceof YamlNode.Scalar s && s.isNull() ? null : e.value();
  }

  /** The line of {@code key} when present, else this section's line (where a missing key belongs). */
  int lineOf(String key) {
    YamlNode.Entry e = node.entries().get(key);
    return e == null ? node.line() : e.keyLine();
  }

  /** An error at this section's line and path. */
  ConfigException error(String problem) { return new ConfigException(source, node.line(), node.path(), problem); }

  /** An error at a node. */
  ConfigException error(YamlNode at, String problem) {
    return new ConfigException(source, at.line(), at.path(), problem);
  }

  /** A required key that is absent (reported at this section's line) or blank (at its own line). */
  ConfigException missing(String key, String why) {
    return new ConfigException(source, lineOf(key), YamlNode.child(node.path(), key), "missing" + why);
  }

  /** A nested mapping whose keys are names (not checked), or null when absent. */
  YamlNode.Mapping mapping(String key) {
    YamlNode n = node(key);
    if (n == null) return null;
    if (!(n instanceof YamlNode.Mapping m)) throw error(n, "expected a mapping of names, got " + n.describe());
    return m;
  }

  /** A nested section, or null when absent. */
  Section section(String key, List<String> known) {
    YamlNode n = node(key);
    if (n == null) return null;
    if (!(n instanceof YamlNode.Mapping m)) throw error(n, "expected a mapping of keys, got " + n.describe());
    return of(source, m, known);
  }

  /** A string (numbers and booleans read as written), or null when absent or blank. */
  String string(String key) {
    YamlNode n = node(key);
    if (n == null) return null;
    String s = text(n);
    return s.isBlank() ? null : s.strip();
  }

  /** The text of a scalar node. */
  String text(YamlNode n) {
    if (!(n instanceof YamlNode.Scalar s) || s.isNull()) throw error(n, "expected a string, got " + n.describe());
    return s.value();
  }

  /** A whole number from {@code min} to {@code max}, or {@code dflt} when absent. */
  int integer(String key, int dflt, int min, int max) {
    YamlNode n = node(key);
    if (n == null) return dflt;
    String expected = min == 1 && max == Integer.MAX_VALUE ? "a positive whole number"
        : max == Integer.MAX_VALUE ? "a whole number of at least " + min
        : "a whole number from " + min + " to " + max;
    try {
      long v = Long.parseLong(scalarText(n, expected).strip());
      if (v < min || v > max) throw new NumberFormatException();
      return (int) v;
    } catch (NumberFormatException e) {
      throw error(n, "expected " + expected + ", got " + n.describe());
    }
  }

  /** A number of milliseconds from a positive number of seconds (fractions allowed), or {@code dflt}. */
  long positiveSecondsAsMillis(String key, long dflt) {
    YamlNode n = node(key);
    if (n == null) return dflt;
    String expected = "a positive number";
    try {
      double v = Double.parseDouble(scalarText(n, expected).strip());
      // the cap keeps the millisecond count far from overflow; nobody waits 100 years
      if (!(v > 0) || v > 3_153_600_000d) throw new NumberFormatException();
      return Math.max(1, Math.round(v * 1000));
    } catch (NumberFormatException e) {
      throw error(n, "expected " + expected + ", got " + n.describe());
    }
  }

  /** A finite number of at least 0, or {@code dflt} when absent. */
  double nonNegative(String key, double dflt) {
    YamlNode n = node(key);
    if (n == null) return dflt;
    try {
      double v = Double.parseDouble(scalarText(n, "a number of at least 0").strip());
      if (!Double.isFinite(v) || v < 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw error(n, "expected a number of at least 0, got " + n.describe());
    }
  }

  /** true or false, or {@code dflt} when absent. */
  boolean bool(String key, boolean dflt) {
    YamlNode n = node(key);
    if (n == null) return dflt;
    String s = scalarText(n, "true or false").strip();
    if (s.equals("true")) return true;
    if (s.equals("false")) return false;
    throw error(n, "expected true or false, got " + n.describe());
  }

  /** A list node, or null when absent. */
  YamlNode.Sequence list(String key) {
    YamlNode n = node(key);
    if (n == null) return null;
    if (!(n instanceof YamlNode.Sequence s)) throw error(n, "expected a list, got " + n.describe());
    return s;
  }

  /** A list of non-blank strings, or null when absent; a single string counts as a list of one. */
  List<String> strings(String key) {
    YamlNode n = node(key);
    if (n == null) return null;
    if (n instanceof YamlNode.Scalar) return List.of(nonBlank(n));
    List<String> out = new ArrayList<>();
    for (YamlNode item : list(key).items()) out.add(nonBlank(item));
    return out;
  }

  private String nonBlank(YamlNode n) {
    if (!(n instanceof YamlNode.Scalar s) || s.isNull() || s.value().isBlank()) {
      throw error(n, "expected a non-empty string, got " + n.describe());
    }
    return s.value().strip();
  }

  private String scalarText(YamlNode n, String expected) {
    if (!(n instanceof YamlNode.Scalar s)) throw error(n, "expected " + expected + ", got " + n.describe());
    return s.value();
  }
}
