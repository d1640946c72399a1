package io.imagegate.idempotency;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashes a canonical request (or any tuple of byte strings) for idempotency comparisons. */
public final class RequestHash {
  private RequestHash() {}

  /**
   * Lowercase hex SHA-256 over the parts. Each part is prefixed with its length, so the boundaries count:
   * {@code ("ab","c")} and {@code ("a","bc")} hash differently. A null part is hashed like an empty one.
   */
  public static String sha256Hex(byte[]... parts) {
    MessageDigest digest = sha256();
    ByteBuffer length = ByteBuffer.allocate(Long.BYTES);
    for (byte[] part : parts) {
      byte[] bytes = part == null ? new byte[0] : part;
      digest.update(length.clear().putLong(bytes.length).array());
      digest.update(bytes);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
