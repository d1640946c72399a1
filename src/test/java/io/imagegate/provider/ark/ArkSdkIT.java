package io.imagegate.provider.ark;

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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official OpenAI Java SDK, unchanged, calling a route served by Seedream: only the model string differs. */
class ArkSdkIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        volc: {provider: ark, base_url: "{{volc}}", api_key: %s}
      routes:
        doubao-seedream-4-0-250828: {deployments: [volc]}
      """.formatted(ArkProviderIT.KEY));
  private static final FakeUpstream volc = GATEWAY.upstream("volc");
  private static OpenAIClient client;

  @BeforeAll
  static void connect() {
    client = OpenAIOkHttpClient.builder().apiKey(RunningGateway.MASTER_KEY).baseUrl(GATEWAY.url("/v1"))
        .maxRetries(0).build();
  }

  @AfterAll
  static void disconnect() { client.close(); }

  @Test
  void generate_throughSdk_returnsSeedreamsImagesAsPngWhenAsked() {
    volc.enqueue(ArkReplies.image(ArkProviderIT.jpeg(1536, 1024), 1536, 1024),
        ArkReplies.image(ArkProviderIT.jpeg(1536, 1024), 1536, 1024));

    ImagesResponse answer = client.images().generate(ImageGenerateParams.builder()
        .model("doubao-seedream-4-0-250828").prompt("A lighthouse on a cliff at sunset")
        .size(ImageGenerateParams.Size._1536X1024).outputFormat(ImageGenerateParams.OutputFormat.PNG).n(2).build());

    assertThat(answer.data().orElseThrow()).hasSize(2);
    BufferedImage first = TestImages.decodeBase64(answer.data().get().get(0).b64Json().orElseThrow());
    assertThat(first.getWidth()).isEqualTo(1536);
    assertThat(answer.size().orElseThrow().asString()).isEqualTo("1536x1024");
    assertThat(answer.outputFormat().orElseThrow().asString()).isEqualTo("png");
    assertThat(answer.usage().orElseThrow().outputTokens()).isEqualTo(2 * 1536 * 1024 / 256);
    assertThat(volc.calls()).hasSize(2);
    assertThat(volc.take().json().get("size").asText()).isEqualTo("1536x1024");
  }

  @Test
  void edit_throughSdkMultipart_sendsTheUploadAsADataUri() {
    byte[] upload = TestImages.png(96, 96);
    volc.enqueue(ArkReplies.image(ArkProviderIT.jpeg(1024, 1024), 1024, 1024));

    ImagesResponse answer = client.images().edit(ImageEditParams.builder()
        .image(ImageEditParams.Image.ofInputStreams(List.<InputStream>of(new ByteArrayInputStream(upload))))
        .prompt("Make it snow").model("doubao-seedream-4-0-250828").size(ImageEditParams.Size._1024X1024).build());

    assertThat(answer.data().orElseThrow()).hasSize(1);
    assertThat(volc.take().json().get("image").asText()).startsWith("data:image/png;base64,");
  }

  @Test
  void generate_sizeBelowTheModelsPixels_isTheSdksBadRequest() {
    assertThatThrownBy(() -> client.images().generate(ImageGenerateParams.builder()
        .model("doubao-seedream-4-0-250828").prompt("x").size(ImageGenerateParams.Size._512X512).build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("921600");
    assertThat(volc.callCount()).isZero();
  }
}
