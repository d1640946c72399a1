package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.GatewayFixture;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/models}: OpenAI's model objects, each with the extension {@code imagegate} saying what the model
 * takes (its rules) and what its deployments can do together (a feature any of them has).
 */
class ModelsEndpointIT {
  @RegisterExtension
  static final GatewayFixture GATEWAY = new GatewayFixture("""
      deployments:
        plain: {provider: openai-compatible, base_url: "{{plain}}", api_key: sk-models-test, model: gpt-image-1,
                supports: {streaming: false, transparent: false, webp: false, max_edit_images: 2}}
        full: {provider: openai, base_url: "{{full}}", api_key: sk-models-test, priority: 1,
               supports: {streaming: true, max_edit_images: 16}}
      routes:
        gpt-image-2: {deployments: [plain, full]}
        legacy: {deployments: [plain], rules: gpt-image-1}
      """);

  static {
    GATEWAY.upstream("plain");
    GATEWAY.upstream("full");
  }

  @Test
  void eachModel_saysItsRulesAndWhatItsDeploymentsCanDo() {
    Http.Answer list = Http.get(GATEWAY.url("/v1/models"), RunningGateway.MASTER_KEY);
    assertThat(list.status()).isEqualTo(200);
    JsonNode two = model(list.json(), "gpt-image-2"), legacy = model(list.json(), "legacy");
    assertThat(two.get("object").asText()).isEqualTo("model");
    JsonNode ext = two.get("imagegate");
    assertThat(ext.get("max_n").asInt()).isEqualTo(10);
    assertThat(ext.at("/sizes/rule").asText()).isEqualTo("flexible");
    assertThat(ext.at("/sizes/max_edge").asInt()).isEqualTo(3840);
    assertThat(ext.get("streaming").asBoolean()).as("the fallback streams").isTrue();
    assertThat(ext.get("max_input_images").asInt()).isEqualTo(16);
    JsonNode old = legacy.get("imagegate");
    assertThat(old.at("/sizes/rule").asText()).isEqualTo("fixed");
    assertThat(old.at("/sizes/sizes")).extracting(JsonNode::asText).contains("1536x1024");
    assertThat(old.get("streaming").asBoolean()).isFalse();
    assertThat(old.get("transparent_background").asBoolean()).isFalse();
    assertThat(old.get("webp").asBoolean()).isFalse();
    assertThat(old.get("max_input_images").asInt()).isEqualTo(2);
    assertThat(Http.get(GATEWAY.url("/v1/models/legacy"), RunningGateway.MASTER_KEY).json()).isEqualTo(legacy);
  }

  private static JsonNode model(JsonNode list, String id) {
    for (JsonNode m : list.get("data")) if (m.get("id").asText().equals(id)) return m;
    throw new AssertionError("no model " + id + " in " + list);
  }
}
