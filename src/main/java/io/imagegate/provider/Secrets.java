package io.imagegate.provider;

import java.util.List;

/** Upstream secrets kept out of text (an upstream's error message) before a client or a log sees it. */
public final class Secrets {
  private Secrets() {}

  /** {@code text} with each of the deployment's secrets (four characters or more) replaced by {@code ***}. */
  public static String scrub(String text, List<String> secrets) {
    if (text == null) return null;
    String out = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) out = out.replace(secret, "***");
    }
    return out;
  }
}
