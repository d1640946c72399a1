package io.imagegate.provider.gemini;

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

/** The official OpenAI Java SDK, unchanged, calling a route served by Gemini: only the model string differs. */
class GeminiSdkIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        gem: {provider: gemini, base_url: "{{gem}}", api_key: %s}
      routes:
        gemini-2.5-flash-image: {deployments: [gem]}
      """.formatted(GeminiProviderIT.KEY));
  private static final FakeUpstream gem = GATEWAY.upstream("gem");
  private static OpenAIClient client;

  @BeforeAll
  static void connect() {
    client = OpenAIOkHttpClient.builder().apiKey(RunningGateway.MASTER_KEY).baseUrl(GATEWAY.url("/v1"))
        .maxRetries(0).build();
  }

  @AfterAll
  static void disconnect() { client.close(); }

  @Test
  void generate_throughSdk_returnsGeminisImagesAndUsage() {
    gem.enqueue(GeminiReplies.image(TestImages.png(1248, 832)), GeminiReplies.image(TestImages.png(1248, 832)));

    ImagesResponse answer = client.images().generate(ImageGenerateParams.builder()
        .model("gemini-2.5-flash-image").prompt("A lighthouse on a cliff at sunset")
        .size(ImageGenerateParams.Size._1536X1024).n(2).build());

    assertThat(answer.data().orElseThrow()).hasSize(2);
    BufferedImage first = TestImages.decodeBase64(answer.data().get().get(0).b64Json().orElseThrow());
    assertThat(first.getWidth()).isEqualTo(1248);
    assertThat(answer.size().orElseThrow().asString()).isEqualTo("1248x832");
    ImagesResponse.Usage usage = answer.usage().orElseThrow();
    assertThat(usage.outputTokens()).isEqualTo(2 * 1290);
    assertThat(usage.inputTokensDetails().textTokens()).isEqualTo(2 * 13);
    assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
    assertThat(gem.calls()).hasSize(2);
  }

  @Test
  void edit_throughSdkMultipart_sendsTheUploadsAsInlineParts() {
    byte[] upload = TestImages.png(96, 96);
    gem.enqueue(GeminiReplies.image(TestImages.png(1024, 1024)));

    ImagesResponse answer = client.images().edit(ImageEditParams.builder()
        .image(ImageEditParams.Image.ofInputStreams(List.<InputStream>of(new ByteArrayInputStream(upload))))
        .prompt("Make it snow").model("gemini-2.5-flash-image").size(ImageEditParams.Size._1024X1024).build());

    assertThat(answer.data().orElseThrow()).hasSize(1);
    var parts = gem.take().json().at("/contents/0/parts");
    assertThat(parts.at("/0/text").asText()).isEqualTo("Make it snow");
    assertThat(Base64.getDecoder().decode(parts.at("/1/inlineData/data").asText())).isEqualTo(upload);
  }

  @Test
  void generate_sizeGeminiCannotDraw_isTheSdksBadRequest() {
    assertThatThrownBy(() -> client.images().generate(ImageGenerateParams.builder()
        .model("gemini-2.5-flash-image").prompt("x").size(ImageGenerateParams.Size._1792X1024).build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("7:4");
    assertThat(gem.callCount()).isZero();
  }
}
