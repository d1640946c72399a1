package io.imagegate.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.NodePackages;
import io.imagegate.testing.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code openai} npm package runs a batch unchanged ({@code files.create} from a stream,
 * {@code batches.create}, {@code batches.retrieve}, {@code files.content}); one line's upstream fails.
 */
class BatchNodeSdkIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        up: {provider: openai, base_url: "{{up}}", api_key: sk-batch-node-upstream-key-0001}
      routes:
        up: {deployments: [up], rules: gpt-image-2}
      retry: {max_attempts: 1, total_deadline_seconds: 30}
      """);
  private static final FakeUpstream upstream = GATEWAY.upstream("up");

  @Test
  void nodeSdk_filesCreateBatchesCreateRetrieveContent(@TempDir Path dir) throws Exception {
    NodePackages.install();
    ScriptedImages script = new ScriptedImages();
    upstream.server().setDispatcher(script);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5; i++) lines.add(BatchClient.line("n-" + i, i == 3 ? "upstream-fails" : "a fox " + i, "1024x1024"));
    Path input = Files.writeString(dir.resolve("foxes.jsonl"), String.join("\n", lines) + "\n");
    Process node = new ProcessBuilder("node", "batch-images.mjs", GATEWAY.url("/v1"), RunningGateway.MASTER_KEY,
        input.toString()).directory(NodePackages.DIR.toFile()).redirectErrorStream(true).start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    JsonNode seen = Http.json(output.lines().reduce((x, y) -> y).orElseThrow());
    assertThat(seen.at("/file/filename").asText()).isEqualTo("foxes.jsonl");
    assertThat(seen.at("/file/bytes").asLong()).isEqualTo(Files.size(input));
    assertThat(seen.get("created").asText()).isEqualTo("validating");
    assertThat(seen.at("/batch/status").asText()).isEqualTo("completed");
    assertThat(seen.at("/batch/metadata/run").asText()).isEqualTo("node");
    assertThat(seen.at("/batch/request_counts")).isEqualTo(Http.json("{\"total\":5,\"completed\":4,\"failed\":1}"));
    assertThat(seen.get("output").findValuesAsText("custom_id")).containsExactly("n-0", "n-1", "n-2", "n-4");
    assertThat(seen.at("/errors/0/custom_id").asText()).isEqualTo("n-3");
    assertThat(seen.at("/errors/0/response/status_code").asInt()).isBetween(500, 599);
    assertThat(script.prompts).hasSize(5);
  }
}
