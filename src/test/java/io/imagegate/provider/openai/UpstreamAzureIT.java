package io.imagegate.provider.openai;

import static io.imagegate.testing.Answers.assertOk;
import static io.imagegate.testing.Answers.b64;
import static io.imagegate.testing.Answers.fieldNames;
import static io.imagegate.testing.ImageInputs.dataUrl;
import static io.imagegate.testing.ImageInputs.mask;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Azure OpenAI over real HTTP (spec §9): {@code /openai/deployments/{deployment}/images/...?api-version=...},
 * the key in {@code api-key} (never {@code Authorization}), no {@code model} in the body, no webp.
 */
class UpstreamAzureIT {
  static final String KEY = "0123456789abcdef0123456789abcdef";
  static final String DEFAULT_VERSION = "2025-04-01-preview";

  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        az: {provider: azure, base_url: "{{az}}", api_key: %1$s, deployment: gpt-image-2-prod}
        az2:
          provider: azure
          base_url: "{{az2}}/openai/"
          api_key: %1$s
          deployment: images-eu
          api_version: 2025-06-01-preview
      routes:
        gpt-image-2: {deployments: [az]}
        gpt-image-1.5: {deployments: [az2]}
      retry: {max_attempts: 1}
      circuit_breaker: {failure_threshold: 1000}
      """.formatted(KEY));
  private static final FakeUpstream azure = GATEWAY.upstream("az"), azureV2 = GATEWAY.upstream("az2");

  @Test
  void generate_azure_postsToDeploymentPathWithApiVersionAndApiKeyHeader() {
    byte[] drawn = TestImages.png(30, 20);
    azure.enqueue(UpstreamReplies.image(drawn));

    Http.Answer answer = post("{\"model\":\"gpt-image-2\",\"prompt\":\"a red barn\",\"size\":\"1024x1024\","
        + "\"quality\":\"low\",\"future_flag\":true}", "/v1/images/generations");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("azure");
    assertThat(answer.header("x-imagegate-deployment")).isEqualTo("az");
    assertThat(b64(answer.json(), 0)).isEqualTo(drawn);
    FakeUpstream.Call call = azure.take();
    assertThat(call.request().getMethod()).isEqualTo("POST");
    assertThat(call.path())
        .isEqualTo("/openai/deployments/gpt-image-2-prod/images/generations?api-version=" + DEFAULT_VERSION);
    assertThat(call.header("api-key")).isEqualTo(KEY);
    assertThat(call.header("Authorization")).isNull();
    JsonNode sent = call.json();
    assertThat(sent.has("model")).isFalse();
    assertThat(fieldNames(sent)).containsExactlyInAnyOrder("prompt", "size", "quality", "future_flag");
    assertThat(sent.get("prompt").asText()).isEqualTo("a red barn");
  }

  @Test
  void edit_azure_sendsMultipartToEditsPathWithoutModel() {
    byte[] input = TestImages.png(200, 200);
    byte[] mask = mask(200, 200);
    azure.enqueue(UpstreamReplies.image(TestImages.png(10, 10)));

    Http.Answer answer = post("{\"prompt\":\"add snow\",\"size\":\"1024x1024\",\"quality\":\"low\","
        + "\"images\":[{\"image_url\":\"" + dataUrl(input, "image/png") + "\"}],"
        + "\"mask\":{\"image_url\":\"" + dataUrl(mask, "image/png") + "\"}}", "/v1/images/edits");

    assertOk(answer);
    assertThat(answer.header("x-imagegate-provider")).isEqualTo("azure");
    FakeUpstream.Call call = azure.take();
    assertThat(call.path()).isEqualTo("/openai/deployments/gpt-image-2-prod/images/edits?api-version=" + DEFAULT_VERSION);
    assertThat(call.header("api-key")).isEqualTo(KEY);
    assertThat(call.header("Authorization")).isNull();
    Multipart parts = call.parts();
    assertThat(parts.named("model")).isEmpty();
    assertThat(parts.textNames()).containsExactlyInAnyOrder("prompt", "size", "quality");
    assertThat(parts.named("image[]")).singleElement().satisfies(p -> assertThat(p.data()).isEqualTo(input));
    assertThat(parts.named("mask")).singleElement().satisfies(p -> assertThat(p.data()).isEqualTo(mask));
  }

  @Test
  void generate_azureWithApiVersionAndOpenaiSuffixedBaseUrl_usesThem() {
    azureV2.enqueue(UpstreamReplies.image(TestImages.png(10, 10)));

    Http.Answer answer = post("{\"model\":\"gpt-image-1.5\",\"prompt\":\"a boat\",\"size\":\"1024x1024\","
        + "\"quality\":\"low\"}", "/v1/images/generations");

    assertOk(answer);
    FakeUpstream.Call call = azureV2.take();
    assertThat(call.path()).isEqualTo("/openai/deployments/images-eu/images/generations?api-version=2025-06-01-preview");
    assertThat(call.header("api-key")).isEqualTo(KEY);
    assertThat(call.json().has("model")).isFalse();
  }

  @Test
  void generate_webpOnAzure_isRefusedBeforeAnyUpstreamCall() {
    azure.enqueue(UpstreamReplies.image(TestImages.png(10, 10)));

    Http.Answer answer = post("{\"prompt\":\"a boat\",\"size\":\"1024x1024\",\"quality\":\"low\","
        + "\"output_format\":\"webp\"}", "/v1/images/generations");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error().get("param").asText()).isEqualTo("output_format");
    assertThat(azure.callCount()).isZero();
  }

  private static Http.Answer post(String json, String path) {
    return GATEWAY.post(path, json);
  }
}
