package io.imagegate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Makes and hashes key secrets. Secrets carry 192 random bits, so one SHA-256 is enough to store them
 * safely (no password stretching needed) and lets the store find a key by its hash in one indexed lookup,
 * whose time does not depend on how much of a guess was right.
 */
final class KeySecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private KeySecrets() {}

  /** A new secret: {@code sk-} and 40 characters of base62 (about 238 bits). */
  static String newSecret() {
    StringBuilder out = new StringBuilder("sk-");
    for (int i = 0; i < 40; i++) out.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    return out.toString();
  }

  static String newId() {
    StringBuilder out = new StringBuilder("key_");
    for (int i = 0; i < 16; i++) out.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    return out.toString();
  }

  static String hash(String secret) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** The part of a secret shown again in listings: enough to recognise it, too little to use it. */
  static String prefix(String secret) { return secret.substring(0, Math.min(secret.length(), 8)); }

  /** Compares in time independent of where the inputs differ. */
  static boolean sameSecret(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
