package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import io.imagegate.testing.ImageServer;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed page's three curl examples, run with curl as written: only the host, the key and the input
 * image's host are changed (to this gateway, its master key and a loopback image server on the allow-list).
 */
class SeedExamplesIT {
  private static final String TEXT_TO_IMAGE = """
      curl -X POST "https://api.gravitex.ai/v1/images/generations" \\
      -H "Authorization: Bearer sk-xxxxxxxxxx" \\
      -H "Content-Type: application/json" \\
      -d '{
      "model": "gpt-image-2",
      "prompt": "A white cat running under the stars, cyberpunk style",
      "size": "1024x1536",
      "quality": "high",
      "n": 1
      }'""";
  private static final String IMAGE_TO_IMAGE = """
      curl -X POST "https://api.gravitex.ai/v1/images/generations" \\
      -H "Authorization: Bearer sk-xxxxxxxxxx" \\
      -H "Content-Type: application/json" \\
      -d '{
      "model": "gpt-image-2",
      "prompt": "Change the scene to night cyberpunk",
      "image": "https://example.com/input.png",
      "size": "1024x1024",
      "quality": "high"
      }'""";
  private static final String EDIT = """
      curl -X POST "https://api.gravitex.ai/v1/images/edits" \\
      -H "Authorization: Bearer sk-xxxxxxxxxx" \\
      -H "Content-Type: application/json" \\
      -d '{
      "model": "gpt-image-2",
      "prompt": "Change background to beach sunset",
      "image": "https://example.com/input.png",
      "size": "1024x1024",
      "quality": "high"
      }'""";

  private static RunningGateway gateway;
  private static ImageServer images;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    gateway = RunningGateway.start();
    images = new ImageServer().serve("/input.png", "image/png", TestImages.png(1024, 1024));
  }

  @AfterAll
  static void stop() {
    images.close();
    gateway.close();
  }

  private JsonNode runCurl(String example, StringBuilder headers) throws Exception {
    String command = example.replace("https://api.gravitex.ai", gateway.baseUrl())
        .replace("sk-xxxxxxxxxx", RunningGateway.MASTER_KEY)
        .replace("https://example.com/input.png", images.url("/input.png"));
    Path body = tmp.resolve("body.json");
    Path head = tmp.resolve("headers.txt");
    Process p = new ProcessBuilder("bash", "-c", command + " -s -o '" + body + "' -D '" + head + "'")
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("curl exit code").isZero();
    headers.append(Files.readString(head));
    return Http.JSON.readTree(Files.readAllBytes(body));
  }

  @Test
  void textToImage_asWritten_answersOneHighQualityPortrait() throws Exception {
    StringBuilder headers = new StringBuilder();
    JsonNode answer = runCurl(TEXT_TO_IMAGE, headers);
    assertThat(headers).contains("HTTP/1.1 200").containsIgnoringCase("x-imagegate-provider: imagegate-local")
        .containsIgnoringCase("x-request-id: req_");
    assertThat(answer.get("data")).hasSize(1);
    BufferedImage img = TestImages.decodeBase64(answer.get("data").get(0).get("b64_json").asText());
    assertThat(img.getWidth()).isEqualTo(1024);
    assertThat(img.getHeight()).isEqualTo(1536);
    assertThat(answer.get("size").asText()).isEqualTo("1024x1536");
    assertThat(answer.get("quality").asText()).isEqualTo("high");
    assertThat(answer.get("output_format").asText()).isEqualTo("png");
    assertThat(answer.get("background").asText()).isEqualTo("opaque");
    JsonNode usage = answer.get("usage");
    // spec §7 for 1024x1536 high: f=96, s=64, ceil(96·64·3,572,864/4,000,000) = 5,488
    assertThat(usage.get("output_tokens").asLong()).isEqualTo(5488);
    assertThat(usage.at("/output_tokens_details/image_tokens").asLong()).isEqualTo(5488);
    assertThat(usage.at("/input_tokens_details/image_tokens").asLong()).isZero();
    assertThat(usage.at("/input_tokens_details/text_tokens").asLong()).isBetween(9L, 14L);
    assertThat(usage.get("total_tokens").asLong())
        .isEqualTo(usage.get("input_tokens").asLong() + usage.get("output_tokens").asLong());
  }

  @Test
  void imageToImage_asWritten_restylesTheFetchedImage() throws Exception {
    StringBuilder headers = new StringBuilder();
    JsonNode answer = runCurl(IMAGE_TO_IMAGE, headers);
    assertThat(headers).contains("HTTP/1.1 200");
    assertImageAnswer(answer);
  }

  @Test
  void edit_asWritten_restylesTheFetchedImage() throws Exception {
    StringBuilder headers = new StringBuilder();
    JsonNode answer = runCurl(EDIT, headers);
    assertThat(headers).contains("HTTP/1.1 200");
    assertImageAnswer(answer);
  }

  private static void assertImageAnswer(JsonNode answer) {
    assertThat(answer.get("data")).hasSize(1);
    BufferedImage img = TestImages.decodeBase64(answer.get("data").get(0).get("b64_json").asText());
    assertThat(img.getWidth()).isEqualTo(1024);
    assertThat(img.getHeight()).isEqualTo(1024);
    JsonNode usage = answer.get("usage");
    assertThat(usage.at("/input_tokens_details/image_tokens").asLong()).isEqualTo(1024); // 32 × 32 patches
    assertThat(usage.get("output_tokens").asLong()).isEqualTo(7024);
    assertThat(usage.get("input_tokens").asLong()).isEqualTo(1024 + usage.at("/input_tokens_details/text_tokens").asLong());
  }
}
