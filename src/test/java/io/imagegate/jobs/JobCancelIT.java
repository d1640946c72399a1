package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.HangingUpstream;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cancelling jobs over real HTTP, with one worker and an upstream that holds its answer: a queued job never
 * runs, a running one's upstream call is closed and nothing is charged; and the per-key cap on queued jobs.
 */
class JobCancelIT {
  private static final String MASTER = RunningGateway.MASTER_KEY;
  private static final String BODY = "{\"model\":\"hang\",\"prompt\":\"a slow lighthouse\",\"size\":\"1024x1024\","
      + "\"quality\":\"low\"}";
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        hang: {provider: openai, base_url: "{{hang}}", api_key: sk-jobs-cancel-upstream-key-0001}
      routes:
        hang: {deployments: [hang], rules: gpt-image-2}
      retry: {max_attempts: 1, total_deadline_seconds: 60}
      """, Map.of("IMAGEGATE_JOB_WORKERS", "1", "IMAGEGATE_JOB_MAX_QUEUED_PER_KEY", "2"));
  private static final HangingUpstream upstream =
      GATEWAY.hanging("hang", UpstreamReplies.imageBody(TestImages.png(8, 8), true));
  private static final JobClient jobs = new JobClient(() -> GATEWAY.gateway().baseUrl());

  private static String jdbc() { return "jdbc:sqlite:" + GATEWAY.gateway().dataDir().resolve("imagegate.db"); }

  @Test
  void cancel_queuedAndRunning_stopsTheUpstreamCall_chargesNothing_andFreesTheWorker() throws Exception {
    upstream.holdNext(20_000);
    String running = jobs.submitted(MASTER, BODY);
    upstream.awaitArrival(10);
    jobs.awaitStatus(MASTER, running, "running", 10);
    String queued = jobs.submitted(MASTER, BODY.replace("slow", "queued"));
    assertThat(jobs.get(MASTER, queued).json().get("status").asText()).isEqualTo("queued");

    Http.Answer cancelledQueued = jobs.cancel(MASTER, queued);
    assertThat(cancelledQueued.status()).isEqualTo(200);
    assertThat(cancelledQueued.json().get("status").asText()).isEqualTo("cancelled");

    Http.Answer cancelledRunning = jobs.cancel(MASTER, running);
    assertThat(cancelledRunning.status()).isEqualTo(200);
    assertThat(cancelledRunning.json().get("status").asText()).isEqualTo("cancelled");
    HangingUpstream.Outcome call = upstream.nextOutcome(10);
    assertThat(call.cancelled()).as("the running job's upstream call was closed").isTrue();
    assertThat(call.closedByCallerAfterMillis()).isLessThan(20_000);

    JsonNode after = jobs.await(MASTER, running, 5);
    assertThat(after.get("status").asText()).isEqualTo("cancelled");
    assertThat(after.has("result")).isFalse();
    assertThat(jobs.await(MASTER, queued, 5).get("attempts").asInt()).as("the queued job never ran").isZero();
    assertThat(JobClient.ledgerRows(jdbc(), running + "%", 200)).as("nothing charged").isZero();
    assertThat(JobClient.ledgerRows(jdbc(), queued + "%", 200)).isZero();

    // the worker is free again: the next job runs and is charged once
    String next = jobs.submitted(MASTER, BODY.replace("slow", "quick"));
    JsonNode done = jobs.await(MASTER, next, 20);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
    assertThat(done.get("result").get("data").get(0).get("b64_json").asText()).isNotEmpty();
    assertThat(upstream.nextOutcome(5).cancelled()).isFalse();
    assertThat(JobClient.ledgerRows(jdbc(), next, 200)).isEqualTo(1);
  }

  @Test
  void submit_pastTheKeysCapOnQueuedJobs_is429() throws Exception {
    upstream.holdNext(20_000);
    String running = jobs.submitted(MASTER, BODY.replace("slow", "capped"));
    upstream.awaitArrival(10);
    jobs.awaitStatus(MASTER, running, "running", 10);
    String first = jobs.submitted(MASTER, BODY.replace("slow", "first"));
    String second = jobs.submitted(MASTER, BODY.replace("slow", "second"));
    Http.Answer third = jobs.submit(MASTER, "/v1/images/generations", BODY.replace("slow", "third"), null);
    assertThat(third.status()).isEqualTo(429);
    assertThat(third.error().get("code").asText()).isEqualTo("too_many_queued_jobs");
    assertThat(third.header("Location")).isNull();
    for (String id : new String[] {first, second, running}) assertThat(jobs.cancel(MASTER, id).status()).isEqualTo(200);
    assertThat(upstream.nextOutcome(10).cancelled()).isTrue();
  }
}
