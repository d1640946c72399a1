package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImagesResponse;
import io.imagegate.api.ModelFamily;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.ImageInputs;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import io.imagegate.usage.TokenMeter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDKs' multipart forms for an edit, each sent unchanged through the gateway to a scripted
 * OpenAI upstream that records what reached it: the Java SDK's bytes, Path and InputStream forms, and the
 * Node SDK's toFile (of a Buffer and of a Blob) and File forms, with 1024² PNGs (one of photo noise, 2.9 MB) and an alpha mask.
 * Each image and the mask must arrive byte for byte, in order, and be counted in the answer's usage.
 */
class SdkMultipartFormsIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        oai:
          provider: openai
          base_url: "{{oai}}"
          api_key: sk-upstream-forms
      routes:
        gpt-image-2:
          deployments: [oai]
      """);
  private static final FakeUpstream upstream = GATEWAY.upstream("oai");
  private static final byte[] NOISE = TestImages.noisePng(1024, 1024, 11, BufferedImage.TYPE_INT_RGB);
  private static final byte[] PICTURE = TestImages.png(1024, 1024);
  private static final byte[] MASK = ImageInputs.mask(1024, 1024);
  private static final long ONE_IMAGE = TokenMeter.inputImageTokens(ModelFamily.GPT_IMAGE_2, 1024, 1024, false);
  private static OpenAIClient client;

  @BeforeAll
  static void client() {
    client = OpenAIOkHttpClient.builder().apiKey(RunningGateway.MASTER_KEY).baseUrl(GATEWAY.url("/v1"))
        .maxRetries(0).build();
  }

  @AfterAll
  static void close() { client.close(); }

  @Test
  void javaSdk_bytes_oneImageAndAMask() {
    upstream.enqueue(UpstreamReplies.imageWithoutUsage(TestImages.png(32, 32)));
    ImagesResponse answer = client.images().edit(edit().image(NOISE).mask(MASK).build());
    assertReceived(List.of(NOISE), MASK);
    assertThat(answer.usage().orElseThrow().inputTokensDetails().imageTokens()).isEqualTo(ONE_IMAGE);
  }

  @Test
  void javaSdk_paths_oneImageAndAMask(@TempDir Path dir) throws Exception {
    Path image = Files.write(dir.resolve("photo.png"), NOISE);
    Path mask = Files.write(dir.resolve("mask.png"), MASK);
    upstream.enqueue(UpstreamReplies.imageWithoutUsage(TestImages.png(32, 32)));
    ImagesResponse answer = client.images().edit(edit().image(image).mask(mask).build());
    assertReceived(List.of(NOISE), MASK);
    assertThat(answer.usage().orElseThrow().inputTokensDetails().imageTokens()).isEqualTo(ONE_IMAGE);
  }

  @Test
  void javaSdk_inputStreams_twoImagesAndAMaskFromAPath(@TempDir Path dir) throws Exception {
    Path mask = Files.write(dir.resolve("mask.png"), MASK);
    upstream.enqueue(UpstreamReplies.imageWithoutUsage(TestImages.png(32, 32)));
    ImagesResponse answer = client.images().edit(edit()
        .image(ImageEditParams.Image.ofInputStreams(List.<InputStream>of(new ByteArrayInputStream(NOISE),
            new ByteArrayInputStream(PICTURE))))
        .mask(mask).build());
    assertReceived(List.of(NOISE, PICTURE), MASK);
    assertThat(answer.usage().orElseThrow().inputTokensDetails().imageTokens()).isEqualTo(2 * ONE_IMAGE);
  }

  @Test
  void nodeSdk_toFileFileAndBlob_twoImagesAndAMask(@TempDir Path dir) throws Exception {
    NodeSdkIT.installNodeSdk();
    Path a = Files.write(dir.resolve("a.png"), NOISE);
    Path b = Files.write(dir.resolve("b.png"), PICTURE);
    Path m = Files.write(dir.resolve("mask.png"), MASK);
    for (int i = 0; i < 3; i++) upstream.enqueue(UpstreamReplies.imageWithoutUsage(TestImages.png(32, 32)));
    Process node = new ProcessBuilder("node", "edit-forms.mjs", GATEWAY.url("/v1"), RunningGateway.MASTER_KEY,
        a.toString(), b.toString(), m.toString()).directory(NodeSdkIT.NODE_DIR.toFile()).redirectErrorStream(true)
        .start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    JsonNode seen = Http.json(output.lines().reduce((x, y) -> y).orElseThrow());
    for (String form : List.of("toFile", "File", "Blob")) {
      assertThat(seen.at("/" + form + "/count").asInt()).as(form).isEqualTo(1);
      assertThat(seen.at("/" + form + "/usage/input_tokens_details/image_tokens").asLong()).as(form)
          .isEqualTo(2 * ONE_IMAGE);
      assertReceived(List.of(NOISE, PICTURE), MASK);
    }
    // the SDK sends no part for a Blob without a name: the gateway is asked an edit without an image
    assertThat(seen.get("bareBlob")).isEqualTo(Http.json(
        "{\"status\":400,\"param\":\"image\",\"code\":\"missing_required_parameter\"}"));
    assertThat(upstream.callCount()).as("nothing more reached the upstream").isEqualTo(3);
  }

  private static ImageEditParams.Builder edit() {
    return ImageEditParams.builder().prompt("Put a small red hat on the cat").model("gpt-image-2")
        .size(ImageEditParams.Size._1024X1024).quality(ImageEditParams.Quality.LOW);
  }

  /** The next call the upstream received: these images as image[] parts, in order, and this mask. */
  private static void assertReceived(List<byte[]> images, byte[] mask) {
    FakeUpstream.Call call = upstream.take();
    assertThat(call.path()).isEqualTo("/v1/images/edits");
    Multipart parts = call.parts();
    List<Multipart.Part> sent = parts.named("image[]");
    assertThat(sent).hasSameSizeAs(images);
    for (int i = 0; i < images.size(); i++) {
      assertThat(sent.get(i).data()).as("image " + i).isEqualTo(images.get(i));
    }
    assertThat(parts.named("mask")).singleElement().satisfies(p -> assertThat(p.data()).isEqualTo(mask));
    assertThat(parts.text("prompt")).isEqualTo("Put a small red hat on the cat");
  }
}
