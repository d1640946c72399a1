package io.imagegate.imagestore;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 over {@code id.expires.contentType}, as unpadded base64url. */
final class Signer {
  private final SecretKeySpec key;

  Signer(byte[] key) { this.key = new SecretKeySpec(key.clone(), "HmacSHA256"); }

  String sign(String id, long expires, String contentType) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(id, expires, contentType));
  }

  /** Constant-time check of a presented signature; false for anything that is not base64url. */
  boolean verify(String id, long expires, String contentType, String signature) {
    byte[] presented;
    try {
      presented = Base64.getUrlDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(id, expires, contentType), presented);
  }

  private byte[] mac(String id, long expires, String contentType) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal((id + "." + expires + "." + contentType).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
