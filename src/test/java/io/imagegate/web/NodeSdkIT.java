package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai} npm package, unchanged, consuming our streamed and plain answers
 * ({@code src/test/node/stream-images.mjs}); its dependencies are installed from the lock file if missing.
 */
class NodeSdkIT {
  static final Path NODE_DIR = Path.of("src/test/node");
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    installNodeSdk();
    gateway = RunningGateway.start();
  }

  /** The openai npm package from the lock file, installed once when missing. */
  static void installNodeSdk() throws Exception { io.imagegate.testing.NodePackages.install(); }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void nodeSdk_consumesStreamedGenerationsAndEdits(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("input.png");
    Files.write(input, TestImages.png(640, 480));
    Process node = new ProcessBuilder("node", "stream-images.mjs", gateway.url("/v1"), RunningGateway.MASTER_KEY,
        input.toAbsolutePath().toString()).directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    JsonNode seen = Http.json(output.lines().reduce((a, b) -> b).orElseThrow());
    JsonNode gen = seen.get("generation");
    assertThat(gen).hasSize(3);
    assertThat(gen.get(0).get("type").asText()).isEqualTo("image_generation.partial_image");
    assertThat(gen.get(1).get("index").asInt()).isEqualTo(1);
    assertThat(gen.get(2).get("type").asText()).isEqualTo("image_generation.completed");
    assertThat(gen.get(2).get("bytes").asInt()).isGreaterThan(1000);
    assertThat(gen.get(2).at("/usage/output_tokens").asLong()).isEqualTo(196 + 200);
    JsonNode edit = seen.get("edit");
    assertThat(edit).hasSize(2);
    assertThat(edit.get(0).get("type").asText()).isEqualTo("image_edit.partial_image");
    assertThat(edit.get(1).get("type").asText()).isEqualTo("image_edit.completed");
    assertThat(seen.at("/plain/count").asInt()).isEqualTo(2);
    assertThat(seen.at("/plain/usage/output_tokens").asLong()).isEqualTo(2 * 196);
  }
}
