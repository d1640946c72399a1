package io.imagegate.provider.openai;

import static io.imagegate.provider.openai.RoutingDefaults.KEY;
import static io.imagegate.testing.Answers.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayYaml;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import org.junit.jupiter.api.Test;

/** The circuit breaker over real HTTP, on a gateway of its own: threshold 2, one attempt per deployment. */
class CircuitBreakerIT {
  @Test
  void generate_afterTwoFailures_circuitBreakerSkipsTheDeploymentUntilCoolDown() throws Exception {
    try (FakeUpstream a = new FakeUpstream(); FakeUpstream b = new FakeUpstream();
        RunningGateway breaker = GatewayYaml.start("""
            deployments:
              a: {provider: openai, base_url: %s, api_key: %s, priority: 0}
              b: {provider: openai, base_url: %s, api_key: %s, priority: 1}
            routes:
              gpt-image-2: {deployments: [a, b]}
            retry: {max_attempts: 1, base_delay_ms: 10}
            circuit_breaker: {failure_threshold: 2, cool_down_seconds: 1}
            """.formatted(a.baseUrl(), KEY, b.baseUrl(), KEY))) {
      a.enqueue(UpstreamReplies.error(503, "server_error", null, "down"),
          UpstreamReplies.error(503, "server_error", null, "down"),
          UpstreamReplies.image(TestImages.png(5, 5)), UpstreamReplies.image(TestImages.png(5, 5)));
      for (int i = 0; i < 3; i++) b.enqueue(UpstreamReplies.image(TestImages.png(6, 6)));
      String body = "{\"prompt\":\"a cat\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
      String url = breaker.url("/v1/images/generations");

      Http.Answer first = Http.postJson(url, RunningGateway.MASTER_KEY, body);
      Http.Answer second = Http.postJson(url, RunningGateway.MASTER_KEY, body);
      Http.Answer third = Http.postJson(url, RunningGateway.MASTER_KEY, body);

      assertOk(first);
      assertThat(first.header("x-imagegate-attempts")).isEqualTo("a:503,b:200");
      assertOk(second);
      assertThat(second.header("x-imagegate-attempts")).isEqualTo("a:503,b:200");
      assertOk(third);
      assertThat(third.header("x-imagegate-attempts")).isEqualTo("a:open,b:200");
      assertThat(third.header("x-imagegate-deployment")).isEqualTo("b");
      assertThat(a.callCount()).as("calls to the open deployment").isEqualTo(2);
      assertThat(b.callCount()).isEqualTo(3);

      // after the cool-down one probe goes to a; its success closes the breaker again
      Thread.sleep(1200);
      Http.Answer probe = Http.postJson(url, RunningGateway.MASTER_KEY, body);
      Http.Answer after = Http.postJson(url, RunningGateway.MASTER_KEY, body);
      assertThat(probe.header("x-imagegate-attempts")).isEqualTo("a:200");
      assertThat(after.header("x-imagegate-attempts")).isEqualTo("a:200");
      assertThat(a.callCount()).isEqualTo(4);
      assertThat(b.callCount()).isEqualTo(3);
    }
  }
}
