package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official openai-java SDK submits a job with its raw-response support and one extra header; the job's
 * {@code result} is an {@link ImagesResponse} the SDK reads as it reads a synchronous answer.
 */
class JobsSdkIT {
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
  void sdkRawSubmit_202WithLocation_thenTheResultParsesAsTheSdksImagesResponse() throws Exception {
    JsonNode job;
    try (HttpResponseFor<ImagesResponse> raw = client.images().withRawResponse().generate(ImageGenerateParams
        .builder().model("gpt-image-2").prompt("A lighthouse on a cliff at sunset, oil painting")
        .size(ImageGenerateParams.Size.of("1536x1024")).quality(ImageGenerateParams.Quality.LOW).n(2)
        .putAdditionalHeader("Prefer", "respond-async").build())) {
      assertThat(raw.statusCode()).isEqualTo(202);
      job = Http.JSON.readTree(raw.body());
      assertThat(raw.headers().values("Location")).containsExactly("/v1/images/jobs/" + job.get("id").asText());
    }
    assertThat(job.get("status").asText()).isEqualTo("queued");

    JsonNode done = new JobClient(gateway::baseUrl).await(RunningGateway.MASTER_KEY, job.get("id").asText(), 60);
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    ImagesResponse answer = ObjectMappers.jsonMapper().treeToValue(done.get("result"), ImagesResponse.class);
    assertThat(answer.data().orElseThrow()).hasSize(2);
    assertThat(TestImages.decodeBase64(answer.data().get().get(0).b64Json().orElseThrow()).getWidth())
        .isEqualTo(1536);
    assertThat(answer.usage().orElseThrow().totalTokens()).isPositive();
    assertThat(answer.size().orElseThrow().asString()).isEqualTo("1536x1024");
  }
}
