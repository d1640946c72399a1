package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refusal of spec §2–§4 and §8 over real HTTP: status, type, param and code, never a 500. */
class InvalidRequestsIT {
  private static final String GEN = "/v1/images/generations";
  private static final String EDIT = "/v1/images/edits";
  private static RunningGateway gateway;

  record Case(String name, String path, String body, int status, String type, String param, String code) {
    @Override
    public String toString() { return name; }
  }

  @BeforeAll
  static void start() { gateway = RunningGateway.start(Map.of("IMAGEGATE_MAX_BODY_MB", "1")); }

  @AfterAll
  static void stop() { gateway.close(); }

  static Stream<Case> cases() {
    String invalid = "invalid_request_error";
    return Stream.of(
        new Case("unknown model", GEN, "{\"model\":\"gpt-image-9\",\"prompt\":\"x\"}", 404, invalid, "model", "model_not_found"),
        new Case("model not routed", GEN, "{\"model\":\"dall-e-3\",\"prompt\":\"x\"}", 404, invalid, "model", "model_not_found"),
        new Case("empty model", GEN, "{\"model\":\"\",\"prompt\":\"x\"}", 400, invalid, "model", "invalid_value"),
        new Case("blank model", GEN, "{\"model\":\"  \",\"prompt\":\"x\"}", 400, invalid, "model", "invalid_value"),
        new Case("model a number", GEN, "{\"model\":5,\"prompt\":\"x\"}", 400, invalid, "model", "invalid_value"),
        new Case("missing prompt", GEN, "{\"model\":\"gpt-image-2\"}", 400, invalid, "prompt", "missing_required_parameter"),
        new Case("empty prompt", GEN, "{\"prompt\":\"  \"}", 400, invalid, "prompt", "invalid_value"),
        new Case("prompt too long", GEN, "{\"prompt\":\"" + "a".repeat(32_001) + "\"}", 400, invalid, "prompt", "invalid_value"),
        new Case("prompt not a string", GEN, "{\"prompt\":42}", 400, invalid, "prompt", "invalid_value"),
        new Case("size not multiple of 16", GEN, "{\"prompt\":\"x\",\"size\":\"1000x1000\"}", 400, invalid, "size", "invalid_value"),
        new Case("size edge and ratio", GEN, "{\"prompt\":\"x\",\"size\":\"4000x800\"}", 400, invalid, "size", "invalid_value"),
        new Case("size too few pixels", GEN, "{\"prompt\":\"x\",\"size\":\"512x512\"}", 400, invalid, "size", "invalid_value"),
        new Case("size with capital X", GEN, "{\"prompt\":\"x\",\"size\":\"1024X1024\"}", 400, invalid, "size", "invalid_value"),
        new Case("size with a leading space", GEN, "{\"prompt\":\"x\",\"size\":\" 1024x1024\"}", 400, invalid, "size", "invalid_value"),
        new Case("size with a trailing space", GEN, "{\"prompt\":\"x\",\"size\":\"1024x1536 \"}", 400, invalid, "size", "invalid_value"),
        new Case("size with a NUL", GEN, "{\"prompt\":\"x\",\"size\":\"1024x1024\\u0000\"}", 400, invalid, "size", "invalid_value"),
        new Case("size in full-width digits", GEN, "{\"prompt\":\"x\",\"size\":\"\uff11\uff10\uff12\uff14x\uff11\uff10\uff12\uff14\"}", 400, invalid, "size", "invalid_value"),
        new Case("size in Arabic-Indic digits", GEN, "{\"prompt\":\"x\",\"size\":\"\u0661\u0660\u0662\u0664x\u0661\u0660\u0662\u0664\"}", 400, invalid, "size", "invalid_value"),
        new Case("size AUTO", GEN, "{\"prompt\":\"x\",\"size\":\"AUTO\"}", 400, invalid, "size", "invalid_value"),
        new Case("size garbage", GEN, "{\"prompt\":\"x\",\"size\":\"huge\"}", 400, invalid, "size", "invalid_value"),
        new Case("gpt-image-1 free size", GEN, "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"size\":\"2048x2048\"}", 400, invalid, "size", "invalid_value"),
        new Case("quality unknown", GEN, "{\"prompt\":\"x\",\"quality\":\"ultra\"}", 400, invalid, "quality", "invalid_value"),
        new Case("n zero", GEN, "{\"prompt\":\"x\",\"n\":0}", 400, invalid, "n", "invalid_value"),
        new Case("n eleven", GEN, "{\"prompt\":\"x\",\"n\":11}", 400, invalid, "n", "invalid_value"),
        new Case("n a string", GEN, "{\"prompt\":\"x\",\"n\":\"two\"}", 400, invalid, "n", "invalid_value"),
        new Case("n a fraction", GEN, "{\"prompt\":\"x\",\"n\":1.5}", 400, invalid, "n", "invalid_value"),
        new Case("transparent jpeg", GEN, "{\"prompt\":\"x\",\"background\":\"transparent\",\"output_format\":\"jpeg\"}", 400, invalid, "background", "invalid_value"),
        new Case("background unknown", GEN, "{\"prompt\":\"x\",\"background\":\"green\"}", 400, invalid, "background", "invalid_value"),
        new Case("compression with png", GEN, "{\"prompt\":\"x\",\"output_compression\":50}", 400, invalid, "output_compression", "invalid_value"),
        new Case("compression out of range", GEN, "{\"prompt\":\"x\",\"output_format\":\"jpeg\",\"output_compression\":101}", 400, invalid, "output_compression", "invalid_value"),
        new Case("output format gif", GEN, "{\"prompt\":\"x\",\"output_format\":\"gif\"}", 400, invalid, "output_format", "invalid_value"),
        new Case("partial images without stream", GEN, "{\"prompt\":\"x\",\"partial_images\":2}", 400, invalid, "partial_images", "invalid_value"),
        new Case("partial images too many", GEN, "{\"prompt\":\"x\",\"stream\":true,\"partial_images\":4}", 400, invalid, "partial_images", "invalid_value"),
        new Case("input fidelity on gpt-image-2", EDIT, "{\"prompt\":\"x\",\"image\":\"aGk=\",\"input_fidelity\":\"high\"}", 400, "image_generation_user_error", "input_fidelity", "invalid_input_fidelity_model"),
        new Case("moderation unknown", GEN, "{\"prompt\":\"x\",\"moderation\":\"high\"}", 400, invalid, "moderation", "invalid_value"),
        new Case("response format url streamed", GEN, "{\"prompt\":\"x\",\"stream\":true,\"response_format\":\"url\"}", 400, invalid, "response_format", "invalid_value"),
        new Case("response format unknown", GEN, "{\"prompt\":\"x\",\"response_format\":\"png\"}", 400, invalid, "response_format", "invalid_value"),
        new Case("style on gpt-image-2", GEN, "{\"prompt\":\"x\",\"style\":\"vivid\"}", 400, invalid, "style", "invalid_value"),
        new Case("stream not a boolean", GEN, "{\"prompt\":\"x\",\"stream\":\"yes\"}", 400, invalid, "stream", "invalid_value"),
        new Case("edit without image", EDIT, "{\"prompt\":\"x\"}", 400, invalid, "image", "missing_required_parameter"),
        new Case("mask without image", GEN, "{\"prompt\":\"x\",\"mask\":\"aGk=\"}", 400, invalid, "mask", "invalid_value"),
        new Case("image not base64", GEN, "{\"prompt\":\"x\",\"image\":\"%%%not-base64%%%\"}", 400, invalid, "image", "invalid_image"),
        new Case("image base64 of text", GEN, "{\"prompt\":\"x\",\"image\":\"aGVsbG8gd29ybGQ=\"}", 400, invalid, "image", "invalid_image"),
        new Case("image a number", GEN, "{\"prompt\":\"x\",\"image\":5}", 400, invalid, "image", "invalid_value"),
        new Case("image file_id", EDIT, "{\"prompt\":\"x\",\"images\":[{\"file_id\":\"file_1\"}]}", 400, invalid, "images[0]", "invalid_value"),
        new Case("seventeen images", EDIT, "{\"prompt\":\"x\",\"images\":[" + "\"aGk=\",".repeat(16) + "\"aGk=\"]}", 400, invalid, "image", "invalid_value"),
        new Case("malformed json", GEN, "{\"prompt\": \"x\",", 400, invalid, null, null),
        new Case("json array body", GEN, "[1,2]", 400, invalid, null, "invalid_value"),
        new Case("empty body", GEN, "", 400, invalid, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void post_invalidRequest_isRefusedWithOpenAiError(Case c) {
    Http.Answer answer = Http.postJson(gateway.url(c.path()), RunningGateway.MASTER_KEY, c.body());
    assertError(answer, c.status(), c.type(), c.param(), c.code());
  }

  @Test
  void post_withoutKey_is401() {
    assertError(Http.postJson(gateway.url(GEN), null, "{\"prompt\":\"x\"}"), 401, "invalid_request_error", null,
        "invalid_api_key");
    assertError(Http.postJson(gateway.url(GEN), "sk-wrong", "{\"prompt\":\"x\"}"), 401, "invalid_request_error",
        null, "invalid_api_key");
    assertError(Http.get(gateway.url("/v1/models"), null), 401, "invalid_request_error", null, "invalid_api_key");
  }

  @Test
  void post_wrongKey_neverEchoesTheKey() {
    Http.Answer answer = Http.postJson(gateway.url(GEN), "sk-secret-guess-123456", "{\"prompt\":\"x\"}");
    assertThat(new String(answer.raw().body(), StandardCharsets.UTF_8)).doesNotContain("secret-guess");
  }

  @Test
  void post_plainText_is415() {
    assertError(Http.post(gateway.url(GEN), RunningGateway.MASTER_KEY, "text/plain", "prompt=x".getBytes()), 415,
        "invalid_request_error", null, "unsupported_media_type");
    // only application/json, with parameters, is JSON
    for (String type : new String[] {"application/jsonx", "application/json-patch+json", "application/vnd.api+json",
        "text/json", "application/jsonp; charset=utf-8"}) {
      assertError(Http.post(gateway.url(GEN), RunningGateway.MASTER_KEY, type, "{\"prompt\":\"x\"}".getBytes()), 415,
          "invalid_request_error", null, "unsupported_media_type");
    }
    for (String type : new String[] {"application/json; charset=utf-8", "Application/JSON", "application/json ;charset=UTF-8"}) {
      assertThat(Http.post(gateway.url(GEN), RunningGateway.MASTER_KEY, type,
          "{\"prompt\":\"x\",\"quality\":\"low\"}".getBytes()).status()).as(type).isEqualTo(200);
    }
    assertError(Http.post(gateway.url(GEN), RunningGateway.MASTER_KEY, null, "{}".getBytes()), 415,
        "invalid_request_error", null, "unsupported_media_type");
  }

  @Test
  void post_bodyOverTheLimit_is413() {
    byte[] big = ("{\"prompt\":\"x\",\"image\":\"" + "A".repeat(2 * 1024 * 1024) + "\"}").getBytes();
    assertError(Http.post(gateway.url(GEN), RunningGateway.MASTER_KEY, "application/json", big), 413,
        "invalid_request_error", null, "request_too_large");
  }

  @Test
  void post_keyLimitedToOtherModels_is403() {
    String secret = gateway.gateway().keys().create("limited", List.of("gpt-image-1"), false).secret();
    assertError(Http.postJson(gateway.url(GEN), secret, "{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}"), 403,
        "permission_denied", "model", "model_not_allowed");
  }

  @Test
  void get_unknownRoute_is404InOpenAiShape() {
    assertError(Http.get(gateway.url("/v1/nothing-here"), RunningGateway.MASTER_KEY), 404, "invalid_request_error",
        null, null);
  }

  static void assertError(Http.Answer answer, int status, String type, String param, String code) {
    assertThat(answer.status()).as("status").isEqualTo(status);
    assertThat(answer.header("content-type")).startsWith("application/json");
    JsonNode error = answer.error();
    assertThat(error).as("error object").isNotNull();
    assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(error.get("type").asText()).isEqualTo(type);
    assertThat(error.get("param").isNull() ? null : error.get("param").asText()).as("param").isEqualTo(param);
    assertThat(error.get("code").isNull() ? null : error.get("code").asText()).as("code").isEqualTo(code);
    assertThat(answer.header("x-request-id")).startsWith("req_");
  }
}
