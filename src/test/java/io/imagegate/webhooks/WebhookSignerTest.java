package io.imagegate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  private static final String BODY = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"image.job.succeeded\","
      + "\"created_at\":1764712800,\"data\":{\"id\":\"job_0192ab\"}}";

  @Test
  void sign_matchesAnHmacComputedByOpenssl() throws Exception {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) key[i] = (byte) (i * 7 + 3);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    Path message = Files.createTempFile("webhook-signed", ".txt");
    Files.writeString(message, "msg_1." + 1764712800L + "." + BODY, StandardCharsets.UTF_8);
    // an independent implementation: openssl, keyed with the raw key bytes in hex
    Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-binary", "-mac", "HMAC", "-macopt",
        "hexkey:" + HexFormat.of().formatHex(key), message.toString()).start();
    byte[] mac = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    assertThat(mac).hasSize(32);
    assertThat(WebhookSigner.sign(secret, "msg_1", 1764712800L, BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("v1," + Base64.getEncoder().encodeToString(mac));
  }

  @Test
  void sign_changesWithIdTimestampBodyAndSecret() {
    String secret = WebhookSigner.newSecret();
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    String signed = WebhookSigner.sign(secret, "msg_1", 100, body);
    assertThat(WebhookSigner.sign(secret, "msg_2", 100, body)).isNotEqualTo(signed);
    assertThat(WebhookSigner.sign(secret, "msg_1", 101, body)).isNotEqualTo(signed);
    assertThat(WebhookSigner.sign(secret, "msg_1", 100, BODY.replace("succeeded", "failed")
        .getBytes(StandardCharsets.UTF_8))).isNotEqualTo(signed);
    assertThat(WebhookSigner.sign(WebhookSigner.newSecret(), "msg_1", 100, body)).isNotEqualTo(signed);
  }

  @Test
  void newSecret_isWhsecAndTheBase64Of32Bytes() {
    String secret = WebhookSigner.newSecret();
    assertThat(secret).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
    assertThat(WebhookSigner.newSecret()).isNotEqualTo(secret);
  }

  @Test
  void sign_refusesASecretThatIsNotWhsecBase64() {
    assertThatThrownBy(() -> WebhookSigner.sign("sk-123", "m", 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSigner.sign("whsec_!!!", "m", 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
