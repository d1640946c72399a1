package io.imagegate.web;

import static io.imagegate.web.InvalidRequestsIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code response_format: url}: signed, expiring links to the gateway's own image store. */
class UrlAnswersIT {
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void generate_urlFormat_answersSignedLinksThatServeTheImages() {
    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"prompt\":\"a paper boat on a pond\",\"quality\":\"low\",\"n\":2,\"output_format\":\"jpeg\","
            + "\"response_format\":\"url\"}");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode data = answer.json().get("data");
    assertThat(data).hasSize(2);
    String url = data.get(0).get("url").asText();
    assertThat(url).startsWith(gateway.baseUrl() + "/v1/images/files/").contains("expires=").contains("signature=");
    assertThat(data.get(0).has("b64_json")).isFalse();
    Http.Answer image = Http.get(url, null);
    assertThat(image.status()).isEqualTo(200);
    assertThat(image.header("content-type")).isEqualTo("image/jpeg");
    assertThat(TestImages.decode(image.raw().body()).getWidth()).isEqualTo(1024);
    assertThat(answer.json().at("/usage/output_tokens").asLong()).isEqualTo(2 * 196);
  }

  @Test
  void files_tamperedOrUnsigned_areRefused() {
    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"prompt\":\"a kite\",\"quality\":\"low\",\"response_format\":\"url\"}");
    String url = answer.json().at("/data/0/url").asText();
    String tampered = url.replaceAll("expires=(\\d+)", "expires=9$1");
    assertError(Http.get(tampered, null), 403, "invalid_request_error", "signature", "invalid_signature");
    assertError(Http.get(url.substring(0, url.indexOf('?')), null), 403, "invalid_request_error", "signature",
        "invalid_signature");
    assertThat(Http.get(gateway.url("/v1/images/files/..%2F..%2Fimagegate.db?expires=1&signature=x"), null).status())
        .isIn(403, 404);
  }

  @Test
  void generate_urlFormat_storeFails_cleanErrorAndNoCharge() throws Exception {
    try (RunningGateway broken = RunningGateway.start()) {
      java.nio.file.Path dir = broken.dataDir().resolve("images");
      try (var files = java.nio.file.Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      java.nio.file.Files.writeString(dir, "not a directory"); // every save now fails
      String key = broken.gateway().keys().create("url-user", java.util.List.of(), false).secret();
      Http.Answer answer = Http.postJson(broken.url("/v1/images/generations"), key,
          "{\"prompt\":\"a paper boat\",\"quality\":\"low\",\"n\":2,\"response_format\":\"url\"}");
      // Not a 200 cut off after its first link: a whole error, before anything was sent or charged.
      assertThat(answer.status()).isEqualTo(502);
      assertThat(answer.json().at("/error/code").asText()).isEqualTo("image_store_error");
      assertThat(Http.get(broken.url("/v1/usage"), key).json().at("/total/cost_usd").asDouble()).isZero();
    }
  }
}
