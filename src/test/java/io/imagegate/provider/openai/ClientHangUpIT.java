package io.imagegate.provider.openai;

import static io.imagegate.provider.openai.RoutingDefaults.KEY;
import static io.imagegate.provider.openai.RoutingDefaults.RETRY;
import static io.imagegate.testing.Answers.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.HangingUpstream;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clients that hang up over real HTTP: their upstream call is cancelled and the gateway keeps serving. */
class ClientHangUpIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        fa: {provider: openai, base_url: "{{fa}}", api_key: %1$s}
        hang: {provider: openai, base_url: "{{hang}}", api_key: %1$s}
      routes:
        fallback: {deployments: [fa], rules: gpt-image-2}
        hang: {deployments: [hang], rules: gpt-image-2}
      %2$s""".formatted(KEY, RETRY));
  private static final FakeUpstream fallbackA = GATEWAY.upstream("fa");
  private static final HangingUpstream hanging =
      GATEWAY.hanging("hang", UpstreamReplies.imageBody(TestImages.png(8, 8), true));

  @Test
  void generate_clientHangsUpWhileUpstreamWorks_upstreamCallIsCancelledAndGatewayKeepsServing() throws Exception {
    hanging.holdNext(1500);
    String json = "{\"model\":\"hang\",\"prompt\":\"a slow cat\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    try (Socket client = new Socket("127.0.0.1", GATEWAY.gateway().gateway().port())) {
      OutputStream out = client.getOutputStream();
      out.write(("POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + RunningGateway.MASTER_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      Thread.sleep(100);
    }

    // while the abandoned call is still out, other requests are served
    fallbackA.enqueue(UpstreamReplies.image(TestImages.png(8, 8)));
    assertOk(GATEWAY.generate("fallback"));

    HangingUpstream.Outcome abandoned = hanging.nextOutcome(10);
    assertThat(abandoned.requestHead()).startsWith("POST /v1/images/generations HTTP/1.1");
    assertThat(abandoned.cancelled()).as("the gateway closed the upstream call of a client that hung up").isTrue();
    assertThat(abandoned.closedByCallerAfterMillis()).as("ms until cancelled").isLessThan(1500);

    // and the same route still works afterwards
    Http.Answer next = GATEWAY.generate("hang");
    assertOk(next);
    assertThat(hanging.nextOutcome(5).cancelled()).isFalse();
  }
}
