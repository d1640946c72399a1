package io.imagegate.config;

import java.util.Map;
import java.util.function.Function;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in config strings from an environment map. As in a
 * shell, {@code :-} also applies when the variable is set but empty; {@code $$} stands for a literal {@code $}.
 */
final class EnvExpander {
  private final Map<String, String> env;

  EnvExpander(Map<String, String> env) { this.env = env; }

  /**
   * The text with every reference replaced.
   *
   * @param fail turns a problem description into the exception to throw (it adds the place)
   */
  String expand(String text, Function<String, ConfigException> fail) {
    if (text.indexOf('$') < 0) return text;
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        int end = text.indexOf('}', i + 2);
        if (end < 0) throw fail.apply("unclosed ${ in \"" + text + "\"");
        out.append(resolve(text.substring(i + 2, end), fail));
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private String resolve(String reference, Function<String, ConfigException> fail) {
    int sep = reference.indexOf(":-");
    String name = sep < 0 ? reference : reference.substring(0, sep);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw fail.apply("\"${" + reference + "}\" is not a valid environment variable reference");
    }
    String value = env.get(name);
    if (sep >= 0) return value == null || value.isEmpty() ? reference.substring(sep + 2) : value;
    if (value == null) {
      throw fail.apply("environment variable " + name + " is not set (write ${" + name
          + ":-default} to give a default)");
    }
    return value;
  }
}
