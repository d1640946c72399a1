package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64TextTest {

  @Test
  void decode_matchesJdkForEveryLengthAndBothAlphabets() {
    Random random = new Random(7);
    for (int n = 1; n < 70; n++) {
      byte[] data = new byte[n];
      random.nextBytes(data);
      for (String text : new String[] {Base64.getEncoder().encodeToString(data),
          Base64.getUrlEncoder().withoutPadding().encodeToString(data),
          Base64.getMimeEncoder(8, "\n".getBytes()).encodeToString(data)}) {
        assertThat(Base64Text.decode(text, 0, text.length(), 1000, "image")).as(text).isEqualTo(data);
      }
    }
  }

  @Test
  void decode_onlyTheGivenRegion() {
    String text = "xx" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4}) + "!!";
    assertThat(Base64Text.decode(text, 2, text.length() - 2, 10, "image")).containsExactly(1, 2, 3, 4);
  }

  @Test
  void decode_overLimit_isRefusedBeforeAllocating() {
    String text = "A".repeat(4000);
    assertThatThrownBy(() -> Base64Text.decode(text, 0, text.length(), 2999, "image"))
        .isInstanceOf(ApiException.class).hasMessageContaining("3000 bytes, over the limit of 2999");
  }

  @Test
  void decode_badPaddingOrCharacters_areRefused() {
    for (String bad : new String[] {"QUJD=", "QU===", "QQ==QQ==", "Q", "QUJDé", "QU JD!"}) {
      assertThatThrownBy(() -> Base64Text.decode(bad, 0, bad.length(), 100, "image")).as(bad)
          .isInstanceOf(ApiException.class).hasMessageContaining("not valid base64");
    }
  }
}
