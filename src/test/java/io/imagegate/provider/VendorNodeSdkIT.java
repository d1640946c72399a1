package io.imagegate.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.ImageInputs;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official {@code openai} npm package, unchanged, calling a Gemini and a Seedream route
 * ({@code src/test/node/vendor-routes.mjs}): plain answers of two images and a streamed answer, which the
 * gateway sends as one completed event per image.
 */
class VendorNodeSdkIT {
  static final Path NODE_DIR = Path.of("src/test/node");

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        gem: {provider: gemini, base_url: "{{gem}}", api_key: AIzaSyFakeGeminiKeyForNodeTests0123456}
        volc: {provider: ark, base_url: "{{volc}}", api_key: ark-node-sdk-fake-key-0123456789}
      routes:
        gemini-2.5-flash-image: {deployments: [gem]}
        doubao-seedream-4-5-251128: {deployments: [volc]}
      """);
  private static final FakeUpstream gem = GATEWAY.upstream("gem"), volc = GATEWAY.upstream("volc");

  @BeforeAll
  static void install() throws Exception { io.imagegate.testing.NodePackages.install(); }

  @Test
  void nodeSdk_callsGeminiAndSeedreamRoutesUnchanged() throws Exception {
    byte[] png = TestImages.png(1024, 1024);
    for (int i = 0; i < 3; i++) gem.enqueue(gemini(png));
    byte[] jpeg = TestImages.encode(ImageInputs.rgb(TestImages.picture(2048, 2048)), "jpeg");
    for (int i = 0; i < 3; i++) volc.enqueue(seedream(jpeg));

    Process node = new ProcessBuilder("node", "vendor-routes.mjs", GATEWAY.url("/v1"), RunningGateway.MASTER_KEY,
        "gemini-2.5-flash-image", "doubao-seedream-4-5-251128").directory(NODE_DIR.toFile())
        .redirectErrorStream(true).start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    JsonNode seen = Http.json(output.lines().reduce((a, b) -> b).orElseThrow());

    JsonNode g = seen.get("gemini-2.5-flash-image");
    assertThat(g.get("count").asInt()).isEqualTo(2);
    assertThat(g.at("/bytes/0").asInt()).isEqualTo(png.length);
    assertThat(g.get("size").asText()).isEqualTo("1024x1024");
    assertThat(g.at("/usage/output_tokens").asLong()).isEqualTo(2 * 1290);
    assertThat(g.get("events")).hasSize(1);
    assertThat(g.at("/events/0/type").asText()).isEqualTo("image_generation.completed");
    assertThat(g.at("/events/0/bytes").asInt()).isEqualTo(png.length);

    JsonNode s = seen.get("doubao-seedream-4-5-251128");
    assertThat(s.get("count").asInt()).isEqualTo(2);
    assertThat(s.at("/bytes/1").asInt()).isEqualTo(jpeg.length);
    assertThat(s.get("format").asText()).isEqualTo("jpeg");
    assertThat(s.at("/usage/output_tokens").asLong()).isEqualTo(2 * 16_384);
    assertThat(s.at("/events/0/type").asText()).isEqualTo("image_generation.completed");
    assertThat(gem.callCount()).isEqualTo(3);
    assertThat(volc.callCount()).isEqualTo(3);
  }

  private static MockResponse gemini(byte[] png) {
    return UpstreamReplies.json(200, """
        {"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"%s"}}]},"finishReason":"STOP"}],
         "usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":1290,"totalTokenCount":1297}}"""
        .formatted(Base64.getEncoder().encodeToString(png)));
  }

  private static MockResponse seedream(byte[] jpeg) {
    return UpstreamReplies.json(200, """
        {"model":"doubao-seedream-4-5-251128","created":1757323224,"data":[{"b64_json":"%s","size":"2048x2048"}],
         "usage":{"generated_images":1,"output_tokens":16384,"total_tokens":16384}}"""
        .formatted(Base64.getEncoder().encodeToString(jpeg)));
  }
}
