package io.imagegate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayYaml;
import io.imagegate.testing.RunningGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A batch outlives its gateway on SQLite: a gateway stopped mid-batch (some lines done, the rest queued or
 * running) is followed by a new one on the same data dir, which runs the rest and finalizes the batch; every
 * line is in the output once and charged once.
 */
class BatchRestartIT {
  private static final String MASTER = RunningGateway.MASTER_KEY;

  @Test
  void stoppedMidBatch_theNextGatewayOnTheSameDataDirCompletesIt_eachLineOnceChargedOnce() throws Exception {
    Path data = Files.createTempDirectory("imagegate-batch-restart");
    try (FakeUpstream upstream = new FakeUpstream()) {
      ScriptedImages script = new ScriptedImages();
      script.delayMillis = 300;
      upstream.server().setDispatcher(script);
      Path yaml = GatewayYaml.write("""
          deployments:
            up: {provider: openai, base_url: "%s", api_key: sk-batch-restart-upstream-key-0001}
          routes:
            up: {deployments: [up], rules: gpt-image-2}
          retry: {max_attempts: 1, total_deadline_seconds: 30}
          """.formatted(upstream.baseUrl()));
      Map<String, String> env = Map.of("IMAGEGATE_DATA_DIR", data.toString(), "IMAGEGATE_JOB_WORKERS", "2");
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 24; i++) lines.add(BatchClient.line("r-" + i, "a tram " + i, "1024x1024"));
      String id;
      int before;
      try (RunningGateway first = RunningGateway.withConfig(yaml, env)) {
        BatchClient batches = new BatchClient(first::baseUrl);
        id = batches.created(MASTER, batches.uploaded(MASTER, lines));
        JsonNode running = batches.awaitStatus(MASTER, id, Set.of("in_progress"), 30);
        long end = System.nanoTime() + 30_000_000_000L;
        while (running.at("/request_counts/completed").asInt() < 2) {
          assertThat(System.nanoTime()).isLessThan(end);
          Thread.sleep(50);
          running = batches.get(MASTER, id).json();
        }
        before = running.at("/request_counts/completed").asInt();
      }
      try (RunningGateway second = RunningGateway.withConfig(yaml, env)) {
        BatchClient batches = new BatchClient(second::baseUrl);
        JsonNode stopped = batches.get(MASTER, id).json();
        assertThat(stopped.get("status").asText()).as("stopped mid-batch").isEqualTo("in_progress");
        assertThat(stopped.at("/request_counts/completed").asInt()).isBetween(before, 23);
        JsonNode done = batches.await(MASTER, id, 60);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/request_counts/completed").asInt()).isEqualTo(24);
        List<JsonNode> output = batches.lines(MASTER, done.get("output_file_id").asText());
        assertThat(output.stream().map(l -> l.get("custom_id").asText()).toList())
            .isEqualTo(lines.stream().map(l -> customId(l)).toList());
        assertThat(done.get("error_file_id").isNull()).isTrue();
        String jdbc = "jdbc:sqlite:" + data.resolve("imagegate.db");
        Set<String> requests = new HashSet<>();
        for (JsonNode line : output) {
          String request = line.at("/response/request_id").asText();
          assertThat(requests.add(request)).isTrue();
          assertThat(BatchClient.charges(jdbc, request)[0]).as(request).isEqualTo(1);
        }
      }
    }
  }

  private static String customId(String line) { return io.imagegate.testing.Http.json(line).get("custom_id").asText(); }
}
