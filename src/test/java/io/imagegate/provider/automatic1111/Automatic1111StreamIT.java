package io.imagegate.provider.automatic1111;

import static io.imagegate.testing.Answers.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.images.ImageGenStreamEvent;
import com.openai.models.images.ImageGenerateParams;
import io.imagegate.testing.Answers;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code automatic1111} provider's long calls: {@code /progress} previews relayed as partial images
 * (raw SSE and the official Java SDK, keep-alive comments included), and {@code /interrupt} sent to the box
 * when the client hangs up (before or during a stream) or the deployment's time-out passes.
 */
class Automatic1111StreamIT {
  static final FakeAutomatic1111 BOX = new FakeAutomatic1111();

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        box: {provider: automatic1111, base_url: "%1$s", progress_interval_ms: 20}
        slow: {provider: automatic1111, base_url: "%1$s", timeouts: {answer_seconds: 1}}
      routes:
        sdxl: {deployments: [box], rules: gpt-image-2}
        sdxl-slow: {deployments: [slow], rules: gpt-image-2}
      retry: {max_attempts: 1, total_deadline_seconds: 60}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(BOX.baseUrl()));

  static final byte[] P1 = TestImages.noisePng(256, 256, 11, BufferedImage.TYPE_INT_RGB);
  static final byte[] P2 = TestImages.noisePng(256, 256, 12, BufferedImage.TYPE_INT_RGB);
  static final byte[] P3 = TestImages.noisePng(256, 256, 13, BufferedImage.TYPE_INT_RGB);
  static final byte[] FINAL = TestImages.png(1024, 1024);
  private static OpenAIClient client;

  @BeforeEach
  void clean() { BOX.reset(); }

  @AfterAll
  static void closeClient() {
    if (client != null) client.close();
  }

  @Test
  void stream_rawHttp_newPreviewsBecomePartialImagesDeduplicatedThenTheCompletedImage() throws Exception {
    BOX.holdWhileShowing(10_000, P1, P1, P2).answer(FakeAutomatic1111.drawn(FINAL));

    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sdxl\",\"prompt\":\"dunes\","
        + "\"size\":\"1024x1024\",\"stream\":true,\"partial_images\":2}");

    String text = Answers.assertEventStream(answer);
    String[] frames = text.strip().split("\n\n");
    assertThat(frames).hasSize(3);
    assertThat(frames[0]).startsWith("event: image_generation.partial_image\ndata: ");
    assertThat(frames[1]).startsWith("event: image_generation.partial_image\ndata: ");
    assertThat(frames[2]).startsWith("event: image_generation.completed\ndata: ");
    JsonNode first = data(frames[0]);
    JsonNode second = data(frames[1]);
    JsonNode done = data(frames[2]);
    assertThat(first.get("type").asText()).isEqualTo("image_generation.partial_image");
    assertThat(first.get("partial_image_index").asInt()).isZero();
    assertThat(second.get("partial_image_index").asInt()).isEqualTo(1);
    assertThat(Base64.getDecoder().decode(first.get("b64_json").asText())).isEqualTo(P1);
    assertThat(Base64.getDecoder().decode(second.get("b64_json").asText())).as("the repeated P1 skipped").isEqualTo(P2);
    assertThat(Base64.getDecoder().decode(done.get("b64_json").asText())).isEqualTo(FINAL);
    assertThat(done.get("size").asText()).isEqualTo("1024x1024");
    assertThat(done.get("output_format").asText()).isEqualTo("png");
    assertThat(done.get("usage").get("total_tokens").asInt()).isZero();
    assertThat(BOX.takeDrawing().path()).isEqualTo("/sdapi/v1/txt2img");
    assertThat(BOX.interrupts()).as("a stream read to its end interrupts nothing").isZero();
  }

  @Test
  void stream_throughTheJavaSdk_givesPartialsThenCompleted() throws Exception {
    // two partials asked of three previews: the drawing then runs 2.5 s more, so keep-alive comments reach the SDK
    BOX.holdWhileShowing(2_500, P1, P2, P3).answer(FakeAutomatic1111.drawn(FINAL));
    client = OpenAIOkHttpClient.builder().apiKey(RunningGateway.MASTER_KEY).baseUrl(GATEWAY.url("/v1"))
        .maxRetries(0).build();

    List<ImageGenStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ImageGenStreamEvent> stream = client.images().generateStreaming(ImageGenerateParams.builder()
        .model("sdxl").prompt("a glacier").size(ImageGenerateParams.Size._1024X1024).partialImages(2).build())) {
      stream.stream().forEach(events::add);
    }

    assertThat(events).hasSize(3);
    for (int i = 0; i < 2; i++) {
      assertThat(events.get(i).isGenerationPartialImage()).isTrue();
      assertThat(events.get(i).asGenerationPartialImage().partialImageIndex()).isEqualTo(i);
    }
    assertThat(Base64.getDecoder().decode(events.get(1).asGenerationPartialImage().b64Json())).isEqualTo(P2);
    assertThat(events.get(2).isGenerationCompleted()).isTrue();
    assertThat(Base64.getDecoder().decode(events.get(2).asGenerationCompleted().b64Json())).isEqualTo(FINAL);
  }

  @Test
  void generate_clientHangsUpWhileTheBoxDraws_interruptIsPostedToTheBox() throws Exception {
    BOX.holdWhileShowing(15_000).answer(FakeAutomatic1111.drawn(FINAL));
    byte[] json = "{\"model\":\"sdxl\",\"prompt\":\"a slow cat\"}".getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", GATEWAY.gateway().gateway().port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + RunningGateway.MASTER_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(json);
      out.flush();
      BOX.takeDrawing();
    }
    long hungUp = System.nanoTime();
    assertThat(BOX.awaitInterrupt(5)).as("POST /sdapi/v1/interrupt after the client left").isTrue();
    assertThat((System.nanoTime() - hungUp) / 1_000_000).as("ms until interrupted").isLessThan(3000);
    assertThat(BOX.interrupts()).isEqualTo(1);

    BOX.reset();
    BOX.answer(FakeAutomatic1111.drawn(FINAL));
    assertOk(GATEWAY.post("/v1/images/generations", "{\"model\":\"sdxl\",\"prompt\":\"next\"}"));
  }

  @Test
  void stream_clientHangsUpAfterTheFirstPartial_interruptIsPostedToTheBox() throws Exception {
    BOX.holdWhileShowing(15_000, P1, P1).answer(FakeAutomatic1111.drawn(FINAL)); // held: one partial is polled
    byte[] json = "{\"model\":\"sdxl\",\"prompt\":\"x\",\"stream\":true,\"partial_images\":1}"
        .getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", GATEWAY.gateway().gateway().port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/images/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + RunningGateway.MASTER_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(json);
      out.flush();
      java.io.InputStream in = socket.getInputStream();
      String seen = "";
      byte[] buf = new byte[8192];
      socket.setSoTimeout(20_000);
      while (!seen.contains("partial_image_index") || !seen.contains("\n:\n\n")) { // a partial, then a keep-alive
        int n = in.read(buf);
        if (n < 0) throw new AssertionError("the stream ended before its first partial: " + seen);
        seen += new String(buf, 0, n, StandardCharsets.ISO_8859_1);
      }
    }
    assertThat(BOX.awaitInterrupt(5)).as("POST /sdapi/v1/interrupt after the client left mid-stream").isTrue();
  }

  @Test
  void generate_deploymentTimesOut_theBoxIsInterruptedAndTheClientGets504() throws Exception {
    BOX.holdWhileShowing(15_000).answer(FakeAutomatic1111.drawn(FINAL));
    Http.Answer answer = GATEWAY.post("/v1/images/generations", "{\"model\":\"sdxl-slow\",\"prompt\":\"x\"}");
    assertThat(answer.status()).isEqualTo(504);
    assertThat(BOX.awaitInterrupt(5)).as("POST /sdapi/v1/interrupt after the time-out").isTrue();
  }

  private static JsonNode data(String frame) { return Http.json(frame.substring(frame.indexOf("data: ") + 6)); }
}
