package io.imagegate.provider.openai;

import java.util.List;
import java.util.regex.Pattern;

/** Scrubs upstream secrets out of text before a client or a log sees it. */
final class Redactor {
  private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk|key|rk)-[A-Za-z0-9_\\-]{6,}");

  private Redactor() {}

  static String scrub(String text, List<String> secrets) {
    if (text == null) return null;
    String out = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) out = out.replace(secret, "***");
    }
    return KEY_LIKE.matcher(out).replaceAll("$1-***");
  }
}
