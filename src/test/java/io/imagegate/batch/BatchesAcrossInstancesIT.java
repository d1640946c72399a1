package io.imagegate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayYaml;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A batch on PostgreSQL with two instances sharing the store and the image directory: both run its lines, the
 * one it was created on stops midway, the other finishes and finalizes it; every line is in the output once
 * and charged once, at the discount.
 */
class BatchesAcrossInstancesIT {
  private static final String MASTER = RunningGateway.MASTER_KEY;

  @Test
  void twoInstancesOnOnePostgres_oneStopsMidway_theOtherCompletes_eachLineOnceChargedOnce() throws Exception {
    String db = TestPostgres.get().newDatabase();
    Path data = Files.createTempDirectory("imagegate-batch-pg");
    try (FakeUpstream upstream = new FakeUpstream()) {
      ScriptedImages script = new ScriptedImages();
      script.delayMillis = 150;
      upstream.server().setDispatcher(script);
      Path yaml = GatewayYaml.write("""
          deployments:
            up: {provider: openai, base_url: "%s", api_key: sk-batch-pg-upstream-key-0001}
          routes:
            up: {deployments: [up], rules: gpt-image-2}
          retry: {max_attempts: 1, total_deadline_seconds: 30}
          """.formatted(upstream.baseUrl()));
      // one data dir, so one image store, as instances sharing jobs must
      Map<String, String> env = new HashMap<>(Map.of("IMAGEGATE_DATABASE_URL", db, "IMAGEGATE_JOB_WORKERS", "2",
          "IMAGEGATE_DATA_DIR", data.toString(), "IMAGEGATE_BATCH_DISCOUNT", "0.25"));
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 40; i++) lines.add(BatchClient.line("p-" + i, "a gull " + i, "1024x1024"));
      try (RunningGateway b = RunningGateway.withConfig(yaml, env)) {
        io.imagegate.testing.Http.Answer sync = io.imagegate.testing.Http.postJson(b.url("/v1/images/generations"),
            MASTER, "{\"model\":\"up\",\"prompt\":\"a gull\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
        assertThat(sync.status()).isEqualTo(200);
        double listPrice = 0;
        for (long end = System.nanoTime() + 10_000_000_000L; listPrice == 0 && System.nanoTime() < end; Thread.sleep(50)) {
          listPrice = BatchClient.charges(db, sync.header("x-request-id"))[1];
        }
        assertThat(listPrice).isPositive();
        String id;
        try (RunningGateway a = RunningGateway.withConfig(yaml, env)) {
          BatchClient onA = new BatchClient(a::baseUrl);
          id = onA.created(MASTER, onA.uploaded(MASTER, lines));
          long end = System.nanoTime() + 30_000_000_000L;
          while (onA.get(MASTER, id).json().at("/request_counts/completed").asInt() < 4) {
            assertThat(System.nanoTime()).isLessThan(end);
            Thread.sleep(50);
          }
        }
        BatchClient onB = new BatchClient(b::baseUrl);
        JsonNode done = onB.await(MASTER, id, 60);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/request_counts/completed").asInt()).isEqualTo(40);
        List<JsonNode> output = onB.lines(MASTER, done.get("output_file_id").asText());
        assertThat(output).hasSize(40);
        Set<String> seen = new HashSet<>();
        for (JsonNode line : output) {
          String request = line.at("/response/request_id").asText();
          assertThat(seen.add(line.get("custom_id").asText())).isTrue();
          double[] charge = BatchClient.charges(db, request);
          assertThat(charge[0]).as(request).isEqualTo(1);
          assertThat(charge[1]).isCloseTo(listPrice * 0.25, org.assertj.core.data.Offset.offset(1e-9));
        }
      }
    }
  }
}
