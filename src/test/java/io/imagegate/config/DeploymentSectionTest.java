package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployment errors, each with its exact line and field path. */
class DeploymentSectionTest {
  @TempDir Path dir;

  private String error(String deploymentBody) {
    String yaml = "deployments:\n  d:\n" + deploymentBody.indent(4) + "routes:\n  gpt-image-1: {deployments: [d]}\n";
    return ConfigFiles.error(dir, yaml, Map.of("K", "secret-value")).getMessage();
  }

  private String at(int line, String path) { return ConfigFiles.at(dir, line, path); }

  @Test
  void load_answerSecondsNotANumber_namesLinePathAndValue() {
    assertThat(error("""
        provider: openai
        api_key: k
        timeouts:
          connect_seconds: 5
          answer_seconds: abc
        """)).isEqualTo(at(7, "deployments.d.timeouts.answer_seconds") + "expected a positive number, got \"abc\"");
  }

  @Test
  void load_zeroAndNegativeNumbers_areErrors() {
    assertThat(error("provider: local\nweight: 0\n"))
        .isEqualTo(at(4, "deployments.d.weight") + "expected a positive whole number, got \"0\"");
    assertThat(error("provider: local\nmax_concurrent: -3\n"))
        .isEqualTo(at(4, "deployments.d.max_concurrent") + "expected a positive whole number, got \"-3\"");
    assertThat(error("provider: local\npriority: -1\n"))
        .isEqualTo(at(4, "deployments.d.priority") + "expected a whole number of at least 0, got \"-1\"");
    assertThat(error("provider: local\ntimeouts: {connect_seconds: 0}\n"))
        .isEqualTo(at(4, "deployments.d.timeouts.connect_seconds") + "expected a positive number, got \"0\"");
    assertThat(error("provider: local\nsupports:\n  max_edit_images: 0\n"))
        .isEqualTo(at(5, "deployments.d.supports.max_edit_images") + "expected a positive whole number, got \"0\"");
  }

  @Test
  void load_maxQueueWithoutMaxConcurrent_isAnErrorAtItsLine() {
    assertThat(error("provider: local\nmax_queue: 4\n"))
        .isEqualTo(at(4, "deployments.d.max_queue") + "max_queue needs max_concurrent: calls queue for one of its places");
    assertThat(error("provider: local\nmax_concurrent: 1\nmax_queue: -1\n"))
        .isEqualTo(at(5, "deployments.d.max_queue") + "expected a whole number of at least 0, got \"-1\"");
  }

  @Test
  void load_maxParallelNotAPositiveWholeNumber_namesLinePathAndValue() {
    assertThat(error("provider: gemini\napi_key: k\nmax_parallel: 0\n"))
        .isEqualTo(at(5, "deployments.d.max_parallel") + "expected a positive whole number, got \"0\"");
    assertThat(error("provider: ark\napi_key: k\nmax_parallel: many\n"))
        .isEqualTo(at(5, "deployments.d.max_parallel") + "expected a positive whole number, got \"many\"");
    assertThat(error("provider: openai\napi_key: k\nmax_parallel: 2\n"))
        .isEqualTo(at(5, "deployments.d.max_parallel") + "only for provider gemini or ark or bfl or dashscope");
  }

  @Test
  void load_unknownKey_namesLineAndSuggestsKnownKey() {
    assertThat(error("provider: openai\napi-key: k\n"))
        .isEqualTo(at(4, "deployments.d.api-key") + "unknown key; did you mean \"api_key\"?");
    assertThat(error("provider: local\ntimeouts:\n  answer_second: 3\n"))
        .isEqualTo(at(5, "deployments.d.timeouts.answer_second") + "unknown key; did you mean \"answer_seconds\"?");
  }

  @Test
  void load_unknownKeyFarFromAnyKnown_listsTheKnownKeys() {
    assertThat(error("provider: local\ncolour: blue\n")).isEqualTo(at(4, "deployments.d.colour")
        + "unknown key (known here: provider, base_url, api_key, model, supports, timeouts, weight, priority,"
        + " max_concurrent, max_queue, deployment, api_version, max_parallel, poll_interval_ms, api, api_auth, passthrough,"
        + " default_size, size_multiple, max_side, max_n, max_batch, progress_interval_ms, steps_low, steps_medium,"
        + " steps_high, steps_auto, workflow, nodes, quality_steps)");
  }

  @Test
  void load_unknownProvider_suggestsTheClosest() {
    assertThat(error("provider: opanai\n")).isEqualTo(at(3, "deployments.d.provider")
        + "expected one of openai, azure, openai-compatible, gemini, ark, bfl, dashscope, automatic1111, comfyui, local, got \"opanai\"; did you mean \"openai\"?");
  }

  @Test
  void load_missingProvider_pointsAtTheDeployment() {
    assertThat(error("model: x\n")).isEqualTo(at(2, "deployments.d.provider")
        + "missing; expected one of openai, azure, openai-compatible, gemini, ark, bfl, dashscope, automatic1111, comfyui, local");
  }

  @Test
  void load_azureWithoutDeploymentBaseUrlOrKey_eachIsAnError() {
    assertThat(error("provider: azure\nbase_url: https://r.openai.azure.com\napi_key: k\n"))
        .isEqualTo(at(2, "deployments.d.deployment") + "missing: provider azure needs the Azure deployment name");
    assertThat(error("provider: azure\napi_key: k\ndeployment: x\n")).isEqualTo(at(2, "deployments.d.base_url")
        + "missing: provider azure needs the resource URL, e.g. https://<resource>.openai.azure.com");
    assertThat(error("provider: azure\nbase_url: https://r.openai.azure.com\ndeployment: x\n"))
        .isEqualTo(at(2, "deployments.d.api_key")
            + "missing: provider azure needs a key, e.g. api_key: ${AZURE_OPENAI_API_KEY}");
  }

  @Test
  void load_openAiWithoutKey_isAnError() {
    assertThat(error("provider: openai\napi_key: ${K_EMPTY:-}\n")).isEqualTo(at(4, "deployments.d.api_key")
        + "missing: provider openai needs a key, e.g. api_key: ${OPENAI_API_KEY}");
  }

  @Test
  void load_openAiCompatibleWithoutBaseUrl_isAnError() {
    assertThat(error("provider: openai-compatible\n")).isEqualTo(at(2, "deployments.d.base_url")
        + "missing: provider openai-compatible needs the server's URL");
  }

  @Test
  void load_badUrls_areErrors() {
    for (String url : new String[] {"ftp://host", "not a url", "/relative", "https://h/x?q=1", "http://"}) {
      assertThat(error("provider: openai-compatible\n\nbase_url: \"" + url + "\"\n"))
          .as(url).isEqualTo(at(5, "deployments.d.base_url") + "expected an http or https URL without query, got \""
              + url + "\"");
    }
  }

  @Test
  void load_azureOnlyKeysOnOtherProviders_areErrors() {
    assertThat(error("provider: openai\napi_key: k\ndeployment: x\n"))
        .isEqualTo(at(5, "deployments.d.deployment") + "only for provider azure");
    assertThat(error("provider: local\napi_version: v\n"))
        .isEqualTo(at(4, "deployments.d.api_version") + "only for provider azure");
  }

  @Test
  void load_localWithKeyOrUrl_isAnError() {
    assertThat(error("provider: local\napi_key: ${K}\n"))
        .isEqualTo(at(4, "deployments.d.api_key") + "the local provider takes no api_key");
    assertThat(error("provider: local\nbase_url: http://x\n"))
        .isEqualTo(at(4, "deployments.d.base_url") + "the local provider takes no base_url");
  }

  @Test
  void load_badSizesAndBooleans_areErrors() {
    assertThat(error("provider: local\nsupports:\n  sizes:\n    - 1024x1024\n    - big\n"))
        .isEqualTo(at(7, "deployments.d.supports.sizes[1]")
            + "expected any or a non-empty list of WxH sizes such as [1024x1024, 1536x1024], got \"big\"");
    assertThat(error("provider: local\nsupports:\n  sizes: []\n")).startsWith(at(5, "deployments.d.supports.sizes"));
    assertThat(error("provider: local\nsupports:\n  webp: maybe\n"))
        .isEqualTo(at(5, "deployments.d.supports.webp") + "expected true or false, got \"maybe\"");
  }

  @Test
  void load_sizesAny_meansEverySize() {
    GatewayConfig c = ConfigFiles.load(dir, """
        deployments:
          d: {provider: local, supports: {sizes: any}}
        routes:
          gpt-image-1: {deployments: [d]}
        """, Map.of());

    assertThat(c.deployments().get("d").supports().sizes()).isEmpty();
  }

  @Test
  void load_badDeploymentName_isAnError() {
    String msg = ConfigFiles.error(dir, "deployments:\n  \"a b\": {provider: local}\nroutes:\n"
        + "  gpt-image-1: {deployments: [a b]}\n", Map.of()).getMessage();

    assertThat(msg).startsWith(at(2, "deployments.a b") + "deployment names may use only");
  }

  @Test
  void load_deploymentNotAMapping_isAnError() {
    String msg = ConfigFiles.error(dir, "deployments:\n  d: openai\nroutes:\n  gpt-image-1: {deployments: [d]}\n",
        Map.of()).getMessage();

    assertThat(msg).isEqualTo(at(2, "deployments.d") + "expected a mapping with provider: ..., got \"openai\"");
  }

  @Test
  void load_errorsAndToString_neverShowTheApiKey() {
    String msg = error("provider: openai\napi_key: ${K}\nbase_url: ${K}\n");

    assertThat(msg).doesNotContain("secret-value").contains("got \"${K}\"");

    GatewayConfig c = ConfigFiles.load(dir, """
        server: {master_key: "${K}"}
        deployments:
          d: {provider: openai, api_key: "${K}"}
        routes:
          gpt-image-1: {deployments: [d]}
        """, Map.of("K", "secret-value"));
    assertThat(c.deployments().get("d").apiKey()).isEqualTo("secret-value");
    assertThat(c.deployments().get("d").toString()).doesNotContain("secret-value").contains("apiKey=***");
    assertThat(c.toString()).doesNotContain("secret-value").contains("masterKey=***");
  }
}
