package io.imagegate.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the usage ledger: one request, answered with success or failure. Never image bytes; the
 * prompt only when the keep-prompts setting is on (the caller passes {@code null} otherwise).
 *
 * <p>Free-text fields a client controls ({@code modelAsked}, {@code size}, {@code quality}, {@code user},
 * ...) are cut to their column widths here, so what is stored is what this record holds.
 * {@code requestId} and {@code keyId} must fit (64 chars) since they identify the row and its owner.
 *
 * @param endpoint {@code "generations"} or {@code "edits"}
 * @param costUsd what the request cost; 0 for a failed request (the caller passes it, {@link Pricing} computes it)
 * @param status the HTTP status answered
 */
public record LedgerEntry(Instant at, String requestId, String keyId, String modelAsked, String deployment, String provider,
    String endpoint, String size, String quality, int nAsked, int imagesReturned,
    long textInTokens, long imageInTokens, long imageOutTokens, double costUsd, int status, String errorCode, long latencyMillis,
    String user, String prompt) {

  static final int ID_MAX = 64;

  public LedgerEntry {
    Objects.requireNonNull(at, "at");
    requireId(requestId, "requestId");
    requireId(keyId, "keyId");
    Objects.requireNonNull(modelAsked, "modelAsked");
    Objects.requireNonNull(endpoint, "endpoint");
    if (nAsked < 0 || imagesReturned < 0 || textInTokens < 0 || imageInTokens < 0 || imageOutTokens < 0 || latencyMillis < 0) {
      throw new IllegalArgumentException("counts, tokens and latency must not be negative");
    }
    if (!Double.isFinite(costUsd) || costUsd < 0) throw new IllegalArgumentException("costUsd must be a finite, non-negative number");
    modelAsked = cut(modelAsked, 200);
    deployment = cut(deployment, 200);
    provider = cut(provider, 64);
    endpoint = cut(endpoint, 16);
    size = cut(size, 32);
    quality = cut(quality, 16);
    errorCode = cut(errorCode, 64);
    user = cut(user, 1000);
  }

  /** Tokens in and out of this request, as {@link Pricing} takes them. */
  public Usage usage() { return new Usage(textInTokens, imageInTokens, imageOutTokens); }

  private static void requireId(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty() || value.length() > ID_MAX) {
      throw new IllegalArgumentException(name + " must be 1 to " + ID_MAX + " characters");
    }
  }

  private static String cut(String s, int max) {
    if (s == null || s.length() <= max) return s;
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }
}
