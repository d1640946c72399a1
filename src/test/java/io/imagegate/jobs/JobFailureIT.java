package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.UpstreamReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A job whose upstream refuses it ends failed, holding the error object the synchronous call answers. */
class JobFailureIT {
  private static final String MASTER = RunningGateway.MASTER_KEY;
  private static final String BODY = "{\"model\":\"up\",\"prompt\":\"a forbidden thing\",\"size\":\"1024x1024\","
      + "\"quality\":\"low\"}";
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        up: {provider: openai, base_url: "{{up}}", api_key: sk-jobs-failure-upstream-key-0001}
      routes:
        up: {deployments: [up], rules: gpt-image-2}
      retry: {max_attempts: 1, total_deadline_seconds: 30}
      """);
  private static final FakeUpstream upstream = GATEWAY.upstream("up");

  @Test
  void upstreamRefusal_failsTheJobWithTheSynchronousError_chargingNothing() throws Exception {
    upstream.enqueue(UpstreamReplies.error(400, "invalid_request_error", "moderation_blocked",
        "Your request was rejected by the safety system."));
    Http.Answer sync = GATEWAY.post("/v1/images/generations", BODY);
    assertThat(sync.status()).isEqualTo(400);

    upstream.enqueue(UpstreamReplies.error(400, "invalid_request_error", "moderation_blocked",
        "Your request was rejected by the safety system."));
    JobClient jobs = new JobClient(() -> GATEWAY.gateway().baseUrl());
    String id = jobs.submitted(MASTER, BODY);
    JsonNode done = jobs.await(MASTER, id, 30);
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("error")).isEqualTo(sync.error());
    assertThat(done.has("result")).isFalse();
    assertThat(upstream.callCount()).isEqualTo(2);
    String jdbc = "jdbc:sqlite:" + GATEWAY.gateway().dataDir().resolve("imagegate.db");
    assertThat(JobClient.ledgerRows(jdbc, id + "%", 200)).isZero();
    assertThat(JobClient.ledgerRows(jdbc, id + ".1", 400)).as("the failed run's free row").isEqualTo(1);
  }
}
