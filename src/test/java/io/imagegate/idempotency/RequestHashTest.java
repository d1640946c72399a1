package io.imagegate.idempotency;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestHashTest {

  @Test
  void sha256Hex_noParts_isTheEmptyDigest() {
    assertThat(RequestHash.sha256Hex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void sha256Hex_isStableLowercaseHex() {
    String hash = RequestHash.sha256Hex("a".getBytes(UTF_8), "b".getBytes(UTF_8));
    assertThat(hash).matches("[0-9a-f]{64}").isEqualTo(RequestHash.sha256Hex("a".getBytes(UTF_8), "b".getBytes(UTF_8)));
  }

  @Test
  void sha256Hex_partBoundariesMatter() {
    assertThat(RequestHash.sha256Hex("ab".getBytes(UTF_8), "c".getBytes(UTF_8)))
        .isNotEqualTo(RequestHash.sha256Hex("a".getBytes(UTF_8), "bc".getBytes(UTF_8)))
        .isNotEqualTo(RequestHash.sha256Hex("abc".getBytes(UTF_8)));
  }

  @Test
  void sha256Hex_nullPartHashesLikeAnEmptyOne() {
    assertThat(RequestHash.sha256Hex((byte[]) null, "x".getBytes(UTF_8)))
        .isEqualTo(RequestHash.sha256Hex(new byte[0], "x".getBytes(UTF_8)));
  }
}
