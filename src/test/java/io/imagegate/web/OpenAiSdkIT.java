package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.models.Model;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, unchanged, pointed at our base URL. */
class OpenAiSdkIT {
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
  void generate_throughSdk_returnsTheImagesAndUsage() {
    ImagesResponse answer = client.images().generate(ImageGenerateParams.builder()
        .model("gpt-image-2").prompt("A lighthouse on a cliff at sunset, oil painting")
        .size(ImageGenerateParams.Size.of("1536x1024")).quality(ImageGenerateParams.Quality.LOW).n(2).build());
    assertThat(answer.data().orElseThrow()).hasSize(2);
    BufferedImage first = TestImages.decodeBase64(answer.data().get().get(0).b64Json().orElseThrow());
    BufferedImage second = TestImages.decodeBase64(answer.data().get().get(1).b64Json().orElseThrow());
    assertThat(first.getWidth()).isEqualTo(1536);
    assertThat(first.getHeight()).isEqualTo(1024);
    assertThat(answer.data().get().get(0).b64Json()).isNotEqualTo(answer.data().get().get(1).b64Json());
    assertThat(second.getWidth()).isEqualTo(1536);
    ImagesResponse.Usage usage = answer.usage().orElseThrow();
    assertThat(usage.outputTokens()).isEqualTo(2 * io.imagegate.usage.TokenMeter.outputTokens(
        io.imagegate.api.ModelFamily.GPT_IMAGE_2, 1536, 1024, io.imagegate.api.Quality.LOW));
    assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
    assertThat(answer.quality().orElseThrow().asString()).isEqualTo("low");
    assertThat(answer.size().orElseThrow().asString()).isEqualTo("1536x1024");
  }

  @Test
  void edit_throughSdkMultipart_restylesTheUploadedImages() {
    byte[] input = TestImages.png(768, 768);
    ImagesResponse answer = client.images().edit(ImageEditParams.builder()
        .image(ImageEditParams.Image.ofInputStreams(List.<InputStream>of(new ByteArrayInputStream(input),
            new ByteArrayInputStream(TestImages.png(512, 512)))))
        .prompt("Make it a snowy winter night").model("gpt-image-1.5").size(ImageEditParams.Size._1024X1024)
        .quality(ImageEditParams.Quality.MEDIUM).build());
    BufferedImage out = TestImages.decodeBase64(answer.data().orElseThrow().get(0).b64Json().orElseThrow());
    assertThat(out.getWidth()).isEqualTo(1024);
    assertThat(out.getHeight()).isEqualTo(1024);
    // gpt-image-1 family: two input images of one 768² (2×2 tiles) and one 512² (1 tile... fitted to 768 → 2×2)
    assertThat(answer.usage().orElseThrow().inputTokensDetails().imageTokens()).isGreaterThan(0);
    assertThat(answer.usage().orElseThrow().outputTokens()).isEqualTo(1056);
  }

  /**
   * The SDK sends each {@code image[]} as a part with no file name, as application/octet-stream, in a chunked
   * body: two such parts of a few hundred KB and a mask (once refused as "bad multipart").
   */
  @Test
  void edit_throughSdk_twoLargeUnnamedImagePartsAndAMask_areAllRead() {
    byte[] a = TestImages.noisePng(320, 320, 1, BufferedImage.TYPE_INT_RGB);
    byte[] b = TestImages.noisePng(320, 320, 2, BufferedImage.TYPE_INT_RGB);
    byte[] mask = TestImages.noisePng(320, 320, 3, BufferedImage.TYPE_INT_ARGB);
    assertThat(a.length).isGreaterThan(130_000);
    ImagesResponse answer = client.images().edit(ImageEditParams.builder()
        .image(ImageEditParams.Image.ofInputStreams(List.<InputStream>of(new ByteArrayInputStream(a),
            new ByteArrayInputStream(b))))
        .mask(new ByteArrayInputStream(mask))
        .prompt("Put a small red hat on the cat").model("gpt-image-2").size(ImageEditParams.Size._1024X1024)
        .quality(ImageEditParams.Quality.LOW).build());
    assertThat(answer.data().orElseThrow()).hasSize(1);
    // both images were read whole: each is counted at its own size
    assertThat(answer.usage().orElseThrow().inputTokensDetails().imageTokens()).isEqualTo(
        2 * io.imagegate.usage.TokenMeter.inputImageTokens(io.imagegate.api.ModelFamily.GPT_IMAGE_2, 320, 320, false));
  }

  @Test
  void models_throughSdk_listsTheRoutedModels() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();
    assertThat(ids).contains("gpt-image-2", "gpt-image-1.5", "gpt-image-1");
    assertThat(client.models().retrieve("gpt-image-2").ownedBy()).isEqualTo("imagegate-local");
    assertThatThrownBy(() -> client.models().retrieve("dall-e-9")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void generate_invalidSize_surfacesAsSdkBadRequest() {
    assertThatThrownBy(() -> client.images().generate(ImageGenerateParams.builder().model("gpt-image-2")
        .prompt("x").size(ImageGenerateParams.Size.of("1000x1000")).build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.param()).hasValue("size");
          assertThat(e.code()).hasValue("invalid_value");
          assertThat(e.type()).hasValue("invalid_request_error");
        });
  }
}
