package io.imagegate.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options. */
final class Options {
  private Options() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length - 1; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option, got " + args[i]);
      out.put(args[i].substring(2), args[i + 1]);
    }
    return out;
  }
}
