package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.GatewayYaml;
import io.imagegate.testing.HangingUpstream;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jobs outlive their gateway on SQLite: a new gateway on the same data dir runs what the old one left, once. */
class JobRestartIT {
  private static final String MASTER = RunningGateway.MASTER_KEY;
  private static final String BODY = "{\"prompt\":\"a tram in the snow\",\"size\":\"1024x1024\",\"quality\":\"low\"}";

  @Test
  void queuedJobs_areRunByTheNextGatewayOnTheSameDataDir_eachChargedOnce() throws Exception {
    Path data = Files.createTempDirectory("imagegate-jobs-restart");
    List<String> ids = new ArrayList<>();
    try (RunningGateway first = RunningGateway.start(Map.of("IMAGEGATE_DATA_DIR", data.toString(),
        "IMAGEGATE_JOB_WORKERS", "0"))) {
      JobClient jobs = new JobClient(first::baseUrl);
      for (int i = 0; i < 3; i++) ids.add(jobs.submitted(MASTER, BODY.replace("tram", "tram " + i)));
      Thread.sleep(300);
      for (String id : ids) assertThat(jobs.get(MASTER, id).json().get("status").asText()).isEqualTo("queued");
    }
    try (RunningGateway second = RunningGateway.start(Map.of("IMAGEGATE_DATA_DIR", data.toString()))) {
      JobClient jobs = new JobClient(second::baseUrl);
      for (String id : ids) {
        JsonNode done = jobs.await(MASTER, id, 60);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
        assertThat(JobClient.ledgerRows(jdbc(data), id + "%", 200)).isEqualTo(1);
      }
    }
  }

  @Test
  void aJobRunningWhenItsGatewayCloses_isHandedBack_andRunOnceByTheNext() throws Exception {
    Path data = Files.createTempDirectory("imagegate-jobs-restart");
    try (HangingUpstream upstream = new HangingUpstream(UpstreamReplies.imageBody(TestImages.png(8, 8), true))) {
      Path yaml = GatewayYaml.write("""
          deployments:
            hang: {provider: openai, base_url: "%s", api_key: sk-jobs-restart-upstream-key-0001}
          routes:
            hang: {deployments: [hang], rules: gpt-image-2}
          retry: {max_attempts: 1, total_deadline_seconds: 60}
          """.formatted(upstream.baseUrl()));
      Map<String, String> env = Map.of("IMAGEGATE_DATA_DIR", data.toString(), "IMAGEGATE_JOB_WORKERS", "1");
      String id;
      try (RunningGateway first = RunningGateway.withConfig(yaml, env)) {
        upstream.holdNext(30_000);
        id = new JobClient(first::baseUrl).submitted(MASTER, BODY.replace("}", ",\"model\":\"hang\"}"));
        upstream.awaitArrival(10);
      }
      assertThat(upstream.nextOutcome(10).cancelled()).as("closing stopped the upstream call").isTrue();
      try (RunningGateway second = RunningGateway.withConfig(yaml, env)) {
        JsonNode done = new JobClient(second::baseUrl).await(MASTER, id, 30);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
      }
      assertThat(JobClient.ledgerRows(jdbc(data), id, 200)).as("charged once, by the run that answered").isEqualTo(1);
      assertThat(JobClient.ledgerRows(jdbc(data), id + ".%", 499)).as("the stopped attempt, free").isEqualTo(1);
    }
  }

  private static String jdbc(Path data) { return "jdbc:sqlite:" + data.resolve("imagegate.db"); }
}
