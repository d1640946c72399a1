package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageEditStreamEvent;
import com.openai.models.images.ImageGenStreamEvent;
import com.openai.models.images.ImageGenerateParams;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code stream: true} with partial images from the local engine, consumed by the official Java SDK. */
class StreamingIT {
  private static RunningGateway gateway;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    gateway = RunningGateway.start();
    client = OpenAIOkHttpClient.builder().apiKey(RunningGateway.MASTER_KEY).baseUrl(gateway.url("/v1"))
        .maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gateway.close();
  }

  @Test
  void generateStreaming_throughSdk_givesPartialsThenCompleted() {
    List<ImageGenStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ImageGenStreamEvent> stream = client.images().generateStreaming(ImageGenerateParams.builder()
        .model("gpt-image-2").prompt("A fox in a snowy forest at dawn").size(ImageGenerateParams.Size._1024X1024)
        .quality(ImageGenerateParams.Quality.MEDIUM).partialImages(2).build())) {
      stream.stream().forEach(events::add);
    }
    assertThat(events).hasSize(3);
    assertThat(events.get(0).isGenerationPartialImage()).isTrue();
    assertThat(events.get(0).asGenerationPartialImage().partialImageIndex()).isZero();
    assertThat(events.get(1).asGenerationPartialImage().partialImageIndex()).isEqualTo(1);
    assertThat(events.get(2).isGenerationCompleted()).isTrue();
    BufferedImage coarse = TestImages.decodeBase64(events.get(0).asGenerationPartialImage().b64Json());
    BufferedImage finer = TestImages.decodeBase64(events.get(1).asGenerationPartialImage().b64Json());
    BufferedImage done = TestImages.decodeBase64(events.get(2).asGenerationCompleted().b64Json());
    assertThat(coarse.getWidth()).isEqualTo(1024);
    assertThat(done.getWidth()).isEqualTo(1024);
    assertThat(detail(coarse)).isLessThan(detail(finer));
    assertThat(detail(finer)).isLessThan(detail(done));
    // 1024² medium = 1756 output tokens, plus 100 for each partial.
    assertThat(events.get(2).asGenerationCompleted().usage().outputTokens()).isEqualTo(1756 + 200);
  }

  @Test
  void editStreaming_throughSdk_givesEditEvents() {
    List<ImageEditStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ImageEditStreamEvent> stream = client.images().editStreaming(ImageEditParams.builder()
        .image(TestImages.png(800, 600)).prompt("Make it night").model("gpt-image-2")
        .size(ImageEditParams.Size._1024X1024).quality(ImageEditParams.Quality.LOW).partialImages(1).build())) {
      stream.stream().forEach(events::add);
    }
    assertThat(events).hasSize(2);
    assertThat(events.get(0).isPartialImage()).isTrue();
    assertThat(events.get(1).isCompleted()).isTrue();
    assertThat(TestImages.decodeBase64(events.get(1).asCompleted().b64Json()).getHeight()).isEqualTo(1024);
  }

  @Test
  void stream_firstPartialLeavesBeforeTheFinalImageIsDone() throws Exception {
    String body = "{\"prompt\":\"a city of towers under a storm\",\"size\":\"3840x2160\",\"quality\":\"high\"";
    // How long the final image takes when nothing else is sent first (warm: the second of two runs).
    long finalOnly = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      assertThat(Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY, body + "}").status())
          .isEqualTo(200);
      finalOnly = Math.min(finalOnly, System.nanoTime() - t0);
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url("/v1/images/generations")))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body + ",\"stream\":true,\"partial_images\":1}")).build();
    long sent = System.nanoTime();
    HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
        HttpResponse.BodyHandlers.ofInputStream());
    long partialAt = -1, completedAt = -1;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.equals("event: image_generation.partial_image")) partialAt = System.nanoTime() - sent;
        if (line.equals("event: image_generation.completed")) completedAt = System.nanoTime() - sent;
      }
    }
    assertThat(partialAt).isPositive();
    assertThat(completedAt).isGreaterThan(partialAt);
    // The partial started arriving before the final image could have been drawn and sent on its own.
    assertThat(partialAt).as("ns to the first partial vs ns for the final alone").isLessThan(finalOnly);
  }

  @Test
  void stream_errorAfterValidation_isAnOpenAiErrorNotAStream() {
    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"prompt\":\"x\",\"stream\":true,\"size\":\"1000x1000\"}");
    assertThat(answer.status()).isEqualTo(400);
    JsonNode error = answer.error();
    assertThat(error.get("param").asText()).isEqualTo("size");
  }

  /** Mean absolute difference between horizontal neighbours: blown-up coarse renders have less of it. */
  private static double detail(BufferedImage img) {
    long sum = 0;
    int count = 0;
    for (int y = 0; y < img.getHeight(); y += 4) {
      for (int x = 1; x < img.getWidth(); x++) {
        int a = img.getRGB(x - 1, y), b = img.getRGB(x, y);
        sum += Math.abs(((a >> 16) & 255) - ((b >> 16) & 255)) + Math.abs(((a >> 8) & 255) - ((b >> 8) & 255))
            + Math.abs((a & 255) - (b & 255));
        count++;
      }
    }
    return (double) sum / count;
  }
}
