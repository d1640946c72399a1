package io.imagegate.engine;

import static io.imagegate.testing.Answers.assertError;
import static io.imagegate.testing.Answers.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.HangingUpstream;
import io.imagegate.testing.Http;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The global guard over real HTTP: with {@code max_in_flight: 1}, a second call while one is held is answered
 * 503 {@code gateway_overloaded} with {@code Retry-After} at once, and the place is free again afterwards.
 */
class AdmissionIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      server: {max_in_flight: 1}
      deployments:
        slow: {provider: openai, base_url: "{{slow}}", api_key: sk-admission-upstream}
      routes:
        gpt-image-2: {deployments: [slow]}
      """);
  private static final HangingUpstream slow = GATEWAY.hanging("slow",
      UpstreamReplies.imageBody(TestImages.png(8, 8), true));

  @Test
  void generate_pastMaxInFlight_isAQuick503WithRetryAfter_andThePlaceComesBack() throws Exception {
    slow.holdNext(2000);
    CompletableFuture<Http.Answer> held = CompletableFuture.supplyAsync(() -> GATEWAY.generate("gpt-image-2"));
    slow.awaitArrival(10);

    long start = System.nanoTime();
    Http.Answer refused = GATEWAY.generate("gpt-image-2");
    long ms = (System.nanoTime() - start) / 1_000_000;

    String message = assertError(refused, 503, "server_error", "gateway_overloaded");
    assertThat(message).contains("1 calls");
    assertThat(refused.header("retry-after")).isEqualTo("1");
    assertThat(ms).as("refused at once, not after the held call").isLessThan(1000);
    assertOk(held.get());
    assertOk(GATEWAY.generate("gpt-image-2"));
    // the refusal came before its body was read: its free ledger row names no model
    var usage = Http.get(GATEWAY.url("/admin/usage?group_by=model"), io.imagegate.testing.RunningGateway.MASTER_KEY)
        .json();
    com.fasterxml.jackson.databind.JsonNode unread = null;
    for (var row : usage.get("data")) if (row.get("group").asText().equals("-")) unread = row;
    assertThat(unread).as("the refused call has its ledger row").isNotNull();
    assertThat(unread.get("requests").asLong()).isEqualTo(1);
    assertThat(unread.get("cost_usd").asDouble()).isZero();
  }
}
