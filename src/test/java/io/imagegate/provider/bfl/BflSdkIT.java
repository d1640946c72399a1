package io.imagegate.provider.bfl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official OpenAI Java SDK, unchanged, calling a route served by FLUX: only the model string differs. */
class BflSdkIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        bfl: {provider: bfl, base_url: "{{bfl}}", api_key: %s, poll_interval_ms: 20}
      routes:
        flux-kontext-pro: {deployments: [bfl]}
      """.formatted(BflProviderIT.KEY));
  private static final FakeUpstream bfl = GATEWAY.upstream("bfl"), cdn = GATEWAY.upstream("cdn");
  private static OpenAIClient client;

  @BeforeAll
  static void connect() {
    client = OpenAIOkHttpClient.builder().apiKey(RunningGateway.MASTER_KEY).baseUrl(GATEWAY.url("/v1"))
        .maxRetries(0).build();
  }

  @AfterAll
  static void disconnect() { client.close(); }

  @Test
  void generate_throughSdk_returnsFluxImagesAsJpegWhenAsked() {
    cdn.serve("/r/k1.jpg", "image/jpeg", BflProviderIT.jpeg(1024, 1024));
    cdn.serve("/r/k2.jpg", "image/jpeg", BflProviderIT.jpeg(1024, 1024));
    bfl.enqueue(BflReplies.submitted(bfl, "k1"), BflReplies.submitted(bfl, "k2"),
        BflReplies.ready("k1", cdn.url("/r/k1.jpg")), BflReplies.ready("k2", cdn.url("/r/k2.jpg")));

    ImagesResponse answer = client.images().generate(ImageGenerateParams.builder()
        .model("flux-kontext-pro").prompt("A lighthouse on a cliff at sunset")
        .size(ImageGenerateParams.Size._1024X1024).outputFormat(ImageGenerateParams.OutputFormat.JPEG).n(2).build());

    assertThat(answer.data().orElseThrow()).hasSize(2);
    BufferedImage first = TestImages.decodeBase64(answer.data().get().get(0).b64Json().orElseThrow());
    assertThat(first.getWidth()).isEqualTo(1024);
    assertThat(answer.size().orElseThrow().asString()).isEqualTo("1024x1024");
    assertThat(answer.outputFormat().orElseThrow().asString()).isEqualTo("jpeg");
    List<FakeUpstream.Call> submits = bfl.calls().stream().filter(c -> c.request().getMethod().equals("POST")).toList();
    assertThat(submits).hasSize(2);
    assertThat(submits.get(0).path()).isEqualTo("/v1/flux-kontext-pro");
    assertThat(submits.get(0).json().get("aspect_ratio").asText()).isEqualTo("1:1");
    assertThat(submits.get(0).json().get("output_format").asText()).isEqualTo("jpeg");
  }

  @Test
  void edit_throughSdkMultipart_sendsTheUploadAsInputImage() {
    byte[] upload = TestImages.png(96, 96);
    cdn.serve("/r/e1.png", "image/png", TestImages.png(1024, 1024));
    bfl.enqueue(BflReplies.submitted(bfl, "e1"), BflReplies.ready("e1", cdn.url("/r/e1.png")));

    ImagesResponse answer = client.images().edit(ImageEditParams.builder()
        .image(ImageEditParams.Image.ofInputStreams(List.<InputStream>of(new ByteArrayInputStream(upload))))
        .prompt("Make it snow").model("flux-kontext-pro").build());

    assertThat(answer.data().orElseThrow()).hasSize(1);
    assertThat(bfl.take().json().get("input_image").asText()).isEqualTo(Base64.getEncoder().encodeToString(upload));
  }

  @Test
  void generate_sizeAtARatioKontextDoesNotDraw_isTheSdksBadRequest() {
    assertThatThrownBy(() -> client.images().generate(ImageGenerateParams.builder()
        .model("flux-kontext-pro").prompt("x").size(ImageGenerateParams.Size._1792X1024).build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("16:9");
    assertThat(bfl.callCount()).isZero();
  }
}
