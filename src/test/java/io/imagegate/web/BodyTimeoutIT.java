package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RawHttp;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code server.body_timeout_seconds}: a body that pauses longer is a 408 {@code request_timeout} in spec §8's
 * JSON, sized or chunked, JSON or multipart; the long wait for an upstream after the body is not cut by it.
 */
class BodyTimeoutIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      server:
        body_timeout_seconds: 1
      deployments:
        oai:
          provider: openai
          base_url: "{{oai}}"
          api_key: sk-upstream-timeout
      routes:
        gpt-image-2:
          deployments: [oai]
      """);
  private static final FakeUpstream upstream = GATEWAY.upstream("oai");
  private static final String HEAD = "POST /v1/images/%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
      + RunningGateway.MASTER_KEY + "\r\nContent-Type: %s\r\n";

  @Test
  void aBodyThatStalls_is408Json_sizedOrChunked() throws Exception {
    String json = HEAD.formatted("generations", "application/json");
    String form = HEAD.formatted("edits", "multipart/form-data; boundary=b");
    String[] stalled = {
        json + "Content-Length: 100\r\n\r\n{\"prompt\":",
        json + "Transfer-Encoding: chunked\r\n\r\nb\r\n{\"prompt\":\"\r\n",
        form + "Content-Length: 5000\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b\r\n",
        form + "Transfer-Encoding: chunked\r\n\r\n5\r\n--b\r\n\r\n"};
    for (String request : stalled) {
      long start = System.nanoTime();
      RawHttp.Answer a = RawHttp.send(GATEWAY.gateway().gateway().port(), request);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(a.status()).as(request + "\n" + a.head() + a.body()).isEqualTo(408);
      assertThat(a.head().toLowerCase()).contains("content-type: application/json").contains("x-request-id: req_");
      JsonNode error = Http.json(a.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("request_timeout");
      assertThat(error.get("message").asText()).contains("1 s");
      assertThat(millis).as("answered after the body timeout, not the connection's").isBetween(900L, 10_000L);
    }
    assertThat(upstream.callCount()).isZero();
  }

  @Test
  void anUpstreamSlowerThanTheBodyTimeout_isStillWaitedFor() {
    upstream.enqueue(UpstreamReplies.image(TestImages.png(8, 8)).setHeadersDelay(2500, TimeUnit.MILLISECONDS));
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"prompt\":\"a slow lighthouse\"}");
    assertThat(answer.status()).as(String.valueOf(answer.json())).isEqualTo(200);
    assertThat(upstream.callCount()).isEqualTo(1);
  }
}
