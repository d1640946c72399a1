package io.imagegate.provider.openai;

import java.util.List;
import java.util.regex.Pattern;

/** Scrubs upstream secrets out of text before a client or a log sees it. */
final class Redactor {
  private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk|key|rk)-[A-Za-z0-9_\\-]{6,}");

  private Redactor() {}

  static String scrub(String text, List<String> secrets) {
    String out = io.imagegate.provider.Secrets.scrub(text, secrets);
    return out == null ? null : KEY_LIKE.matcher(out).replaceAll("$1-***");
  }
}
