package io.imagegate.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures, the scheme OpenAI signs its webhooks with. A secret is {@code whsec_} and the
 * base64 of 32 random bytes; the HMAC key is those bytes (the base64-decoded part). A delivery carries the
 * headers {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature:
 * v1,<base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>">}, so that a receiver can check both who sent it and
 * that id, time and body were not changed. Secrets are never logged.
 */
public final class WebhookSigner {
  /** The prefix of every secret. */
  public static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSigner() {}

  /** A new secret: {@code whsec_} and the base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * The {@code webhook-signature} header value for one delivery.
   *
   * @throws IllegalArgumentException when {@code secret} is not {@code whsec_} and base64
   */
  public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
    if (secret == null || !secret.startsWith(PREFIX)) throw new IllegalArgumentException("not a whsec_ secret");
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the secret after whsec_ is not base64");
    }
    if (key.length == 0) throw new IllegalArgumentException("an empty webhook secret");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
