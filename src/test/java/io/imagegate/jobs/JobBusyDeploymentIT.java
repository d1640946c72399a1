package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.HangingUpstream;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job that finds its only deployment at its {@code max_concurrent} does not fail with the 503 a synchronous
 * call gets: it goes back to the queue until the Retry-After has passed, and runs once a place is free.
 */
class JobBusyDeploymentIT {
  private static final String MASTER = RunningGateway.MASTER_KEY;
  private static final String BODY = "{\"model\":\"box\",\"prompt\":\"a lighthouse\",\"size\":\"1024x1024\","
      + "\"quality\":\"low\"}";
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        box: {provider: openai, base_url: "{{box}}", api_key: sk-jobs-busy-upstream-key-00001, max_concurrent: 1}
      routes:
        box: {deployments: [box], rules: gpt-image-2}
      retry: {max_attempts: 1, total_deadline_seconds: 30, busy_wait_ms: 200}
      """);
  private static final HangingUpstream box = GATEWAY.hanging("box",
      UpstreamReplies.imageBody(TestImages.png(8, 8), true));

  @Test
  void busyDeployment_theJobWaitsInTheQueue_thenSucceeds_chargedOnce() throws Exception {
    box.holdNext(3500);
    CompletableFuture<Http.Answer> held = CompletableFuture.supplyAsync(() -> GATEWAY.post("/v1/images/generations", BODY));
    box.awaitArrival(10); // the synchronous call has the box's one place for 3.5 s

    Http.Answer sync = GATEWAY.post("/v1/images/generations", BODY);
    assertThat(sync.status()).as("a synchronous call gets the quick 503").isEqualTo(503);

    JobClient jobs = new JobClient(() -> GATEWAY.gateway().baseUrl());
    String id = jobs.submitted(MASTER, BODY);
    Thread.sleep(1500); // the worker met the busy box at least once by now
    // queued between tries, running during one (each waits busy_wait_ms for the place): never failed
    assertThat(jobs.get(MASTER, id).json().get("status").asText()).as("back in the queue").isIn("queued", "running");

    box.holdNext(0);
    JsonNode done = jobs.await(MASTER, id, 30);
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(held.get().status()).isEqualTo(200);
    String jdbc = "jdbc:sqlite:" + GATEWAY.gateway().dataDir().resolve("imagegate.db");
    assertThat(JobClient.ledgerRows(jdbc, id + "%", 200)).as("one charge").isEqualTo(1);
  }
}
