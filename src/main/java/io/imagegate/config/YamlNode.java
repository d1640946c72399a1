package io.imagegate.config;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with the place it came from, so that every config error can name its line and field path.
 * Containers carry the line of the key that holds them (where an operator looks for "this section").
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

  /** 1-based line in the file. */
  int line();

  /** Dotted field path from the root, e.g. {@code deployments.x.timeouts}; list items add {@code [i]}. */
  String path();

  /** How the value reads in "got ..." of an error message; never an environment variable's value. */
  String describe();

  /** One key of a mapping: its line (for unknown-key errors) and its value. */
  record Entry(String key, int keyLine, YamlNode value) {}

  /** A YAML mapping, keys in file order. */
  record Mapping(int line, String path, Map<String, Entry> entries) implements YamlNode {
    @Override public String describe() { return "a mapping"; }
  }

  /** A YAML list. */
  record Sequence(int line, String path, List<YamlNode> items) implements YamlNode {
    @Override public String describe() { return "a list"; }
  }

  /**
   * A YAML scalar.
   *
   * @param value the text after {@code ${ENV}} substitution; null for YAML null ({@code ~}, nothing)
   * @param raw the text as written in the file (errors show this, so a substituted secret never appears)
   */
  record Scalar(int line, String path, String value, String raw) implements YamlNode {
    boolean isNull() { return value == null; }

    @Override
    public String describe() {
      if (raw == null) return "nothing";
      return '"' + raw.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
  }

  /** The path of a child key under {@code parent}. */
  static String child(String parent, String key) { return parent.isEmpty() ? key : parent + "." + key; }
}
