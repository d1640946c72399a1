package io.imagegate.provider.openai;

import static io.imagegate.provider.openai.RoutingDefaults.KEY;
import static io.imagegate.provider.openai.RoutingDefaults.RETRY;
import static io.imagegate.testing.Answers.assertEventStream;
import static io.imagegate.testing.Answers.onlyEvent;
import static io.imagegate.testing.Answers.text;
import static io.imagegate.testing.ImageInputs.dataUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streamed answers over real HTTP: upstream events relayed as they arrive, completed events made by the
 * gateway for a plain JSON upstream, and an error frame when the upstream breaks off. The tests run by name,
 * so that the timed relay test runs last, on a gateway whose stream paths are warm.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class StreamRelayIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        sse: {provider: openai, base_url: "{{sse}}", api_key: %1$s}
      routes:
        stream: {deployments: [sse], rules: gpt-image-2}
      %2$s""".formatted(KEY, RETRY));
  private static final FakeUpstream sse = GATEWAY.upstream("sse");

  @Test
  void generate_streamFromSlowUpstream_relaysEachEventAsItArrives() throws Exception {
    String pixels = Base64.getEncoder().encodeToString(TestImages.png(8, 8));
    String facts = "\"created_at\":1776847985,\"size\":\"1024x1024\",\"quality\":\"low\",\"background\":\"opaque\","
        + "\"output_format\":\"png\"";
    String body = UpstreamReplies.frame("image_generation.partial_image", "{\"type\":\"image_generation.partial_image\","
            + "\"b64_json\":\"" + pixels + "\"," + facts + ",\"partial_image_index\":0}")
        + UpstreamReplies.frame("image_generation.partial_image", "{\"type\":\"image_generation.partial_image\","
            + "\"b64_json\":\"" + pixels + "\"," + facts + ",\"partial_image_index\":1}")
        + UpstreamReplies.frame("image_generation.completed", "{\"type\":\"image_generation.completed\","
            + "\"b64_json\":\"" + pixels + "\"," + facts + ",\"usage\":" + UpstreamReplies.USAGE + "}");
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    long perPeriod = Math.max(1, bytes / 10); // the body comes in 10 slices, one every 100 ms: about 1 s
    sse.enqueue(UpstreamReplies.sse(body).throttleBody(perPeriod, 100, TimeUnit.MILLISECONDS));
    // the upstream cannot have sent its last byte before this many sleeps of 100 ms
    long lastByteNotBeforeMs = ((bytes - 1) / perPeriod) * 100;

    HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY.url("/v1/images/generations")))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"stream\",\"prompt\":\"a kite\",\"size\":\"1024x1024\","
            + "\"quality\":\"low\",\"stream\":true,\"partial_images\":2}")).build();
    long start = System.nanoTime();
    HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
        HttpResponse.BodyHandlers.ofInputStream());
    StringBuilder received = new StringBuilder();
    List<Long> dataAtMs = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("data:")) dataAtMs.add((System.nanoTime() - start) / 1_000_000);
        received.append(line).append('\n');
      }
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(response.headers().firstValue("x-imagegate-provider").orElse(null)).isEqualTo("openai");
    assertThat(response.headers().firstValue("x-imagegate-attempts").orElse(null)).isEqualTo("sse:200");
    assertThat(received.toString()).as("relayed frames").isEqualTo(body);
    assertThat(dataAtMs).hasSize(3);
    assertThat(dataAtMs.get(0)).as("first event received (ms), last byte sent not before " + lastByteNotBeforeMs)
        .isLessThan(lastByteNotBeforeMs - 300);
    assertThat(dataAtMs.get(2) - dataAtMs.get(0)).as("spread of the events at the client (ms)")
        .isGreaterThanOrEqualTo(400);

    FakeUpstream.Call call = sse.take();
    assertThat(call.header("Accept")).isEqualTo("text/event-stream");
    JsonNode sent = call.json();
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.get("partial_images").asInt()).isEqualTo(2);
  }

  @Test
  void generate_streamAgainstPlainJsonUpstream_emitsCompletedEventsItself() {
    byte[] drawn = TestImages.png(12, 12);
    sse.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = Http.postJson(GATEWAY.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"model\":\"stream\",\"prompt\":\"a kite\",\"size\":\"1024x1024\",\"quality\":\"low\",\"stream\":true}");

    assertEventStream(answer);
    JsonNode event = onlyEvent(answer, "image_generation.completed");
    assertThat(Base64.getDecoder().decode(event.get("b64_json").asText())).isEqualTo(drawn);
    assertThat(event.get("usage")).isEqualTo(Http.json(UpstreamReplies.USAGE));
    assertThat(event.get("size").asText()).isEqualTo("1024x1024");
    assertThat(sse.take().json().get("stream").asBoolean()).isTrue();
  }

  @Test
  void edit_streamAgainstPlainJsonUpstream_emitsImageEditCompletedEvents() {
    byte[] drawn = TestImages.png(12, 12);
    sse.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = Http.postJson(GATEWAY.url("/v1/images/edits"), RunningGateway.MASTER_KEY,
        "{\"model\":\"stream\",\"prompt\":\"a kite\",\"size\":\"1024x1024\",\"quality\":\"low\",\"stream\":true,"
            + "\"image\":\"" + dataUrl(TestImages.png(64, 64), "image/png") + "\"}");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode event = onlyEvent(answer, "image_edit.completed");
    assertThat(Base64.getDecoder().decode(event.get("b64_json").asText())).isEqualTo(drawn);
    FakeUpstream.Call call = sse.take();
    assertThat(call.path()).isEqualTo("/v1/images/edits");
    assertThat(call.parts().text("stream")).isEqualTo("true");
  }

  @Test
  void generate_streamBreaksOffMidway_relaysWhatCameThenAnErrorFrame() {
    String pixels = Base64.getEncoder().encodeToString(TestImages.png(8, 8));
    String first = UpstreamReplies.frame("image_generation.partial_image",
        "{\"type\":\"image_generation.partial_image\",\"b64_json\":\"" + pixels + "\",\"partial_image_index\":0}");
    String big = Base64.getEncoder().encodeToString(TestImages.png(256, 256));
    String second = UpstreamReplies.frame("image_generation.completed",
        "{\"type\":\"image_generation.completed\",\"b64_json\":\"" + big + "\"}");
    // the upstream sends half its body (all of the first frame, part of the second) and disconnects
    sse.enqueue(UpstreamReplies.sse(first + second).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    Http.Answer answer = Http.postJson(GATEWAY.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"model\":\"stream\",\"prompt\":\"a kite\",\"size\":\"1024x1024\",\"quality\":\"low\","
            + "\"stream\":true,\"partial_images\":1}");

    assertThat(answer.status()).isEqualTo(200);
    String text = text(answer);
    assertThat(text).startsWith(first);
    String[] frames = text.strip().split("\n\n");
    assertThat(frames).hasSize(2);
    String last = frames[1];
    JsonNode error = Http.json(last.substring(last.indexOf("data: ") + 6)).get("error");
    assertThat(error).as("error object of the last frame: " + last).isNotNull();
    assertThat(error.get("code").asText()).isEqualTo("upstream_error");
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(sse.callCount()).isEqualTo(1);
  }
}
