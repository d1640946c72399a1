package io.imagegate.web;

import static io.imagegate.web.InvalidRequestsIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.auth.KeyPatch;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The admin key API over real HTTP (issue #4): create, list, get, patch, revoke, and who may call it. */
class AdminKeysIT {
  private static final String KEYS = "/admin/keys";
  private static final String MASTER = RunningGateway.MASTER_KEY;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  private static Http.Answer patch(String path, String key, String body) {
    return Http.send(request(path, key).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static Http.Answer delete(String path, String key) {
    return Http.send(request(path, key).DELETE().build());
  }

  private static HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url(path))).timeout(Duration.ofSeconds(30));
    if (key != null) b.header("Authorization", "Bearer " + key);
    return b;
  }

  private static JsonNode create(String body) {
    Http.Answer answer = Http.postJson(gateway.url(KEYS), MASTER, body);
    assertThat(answer.status()).as("create " + body).isEqualTo(201);
    return answer.json();
  }

  private static int modelsStatus(String secret) { return Http.get(gateway.url("/v1/models"), secret).status(); }

  private static String raw(Http.Answer answer) { return new String(answer.raw().body(), StandardCharsets.UTF_8); }

  @Test
  void create_showsTheSecretOnce_thenOnlyThePrefix() {
    long expires = Instant.now().plusSeconds(3600).getEpochSecond();
    JsonNode created = create("{\"name\":\"team-a\",\"owner\":\"design\",\"models\":[\"gpt-image-2\"],"
        + "\"scopes\":[\"images\"],\"rpm\":60,\"ipm\":120,\"budget\":{\"usd\":25.5,\"period\":\"monthly\"},"
        + "\"expires_at\":" + expires + "}");
    String secret = created.get("secret").asText();
    String id = created.get("id").asText();
    assertThat(secret).startsWith("sk-").hasSizeGreaterThan(40);
    assertThat(id).startsWith("key_");
    assertThat(created.get("object").asText()).isEqualTo("api_key");
    assertThat(created.get("name").asText()).isEqualTo("team-a");
    assertThat(created.get("owner").asText()).isEqualTo("design");
    assertThat(created.get("prefix").asText()).isEqualTo(secret.substring(0, 8));
    assertThat(created.get("models").toString()).isEqualTo("[\"gpt-image-2\"]");
    assertThat(created.get("scopes").toString()).isEqualTo("[\"images\"]");
    assertThat(created.get("rpm").asInt()).isEqualTo(60);
    assertThat(created.get("ipm").asInt()).isEqualTo(120);
    assertThat(created.get("budget").get("usd").asDouble()).isEqualTo(25.5);
    assertThat(created.get("budget").get("period").asText()).isEqualTo("monthly");
    assertThat(created.get("expires_at").asLong()).isEqualTo(expires);
    assertThat(created.get("disabled").asBoolean()).isFalse();
    assertThat(created.get("created_at").asLong()).isCloseTo(Instant.now().getEpochSecond(),
        org.assertj.core.data.Offset.offset(60L));
    assertThat(created.get("revoked_at").isNull()).isTrue();
    assertThat(modelsStatus(secret)).isEqualTo(200);

    Http.Answer got = Http.get(gateway.url(KEYS + "/" + id), MASTER);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().has("secret")).isFalse();
    assertThat(raw(got)).doesNotContain(secret);
    JsonNode expected = created.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected).remove("secret");
    assertThat(got.json()).isEqualTo(expected);

    Http.Answer list = Http.get(gateway.url(KEYS), MASTER);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("object").asText()).isEqualTo("list");
    assertThat(raw(list)).doesNotContain(secret).doesNotContain("\"secret\"");
    assertThat(list.json().get("data").findValuesAsText("id")).contains(id);
  }

  @Test
  void adminOnlyKey_mayNotCallTheImagesEndpoints() {
    String secret = create("{\"name\":\"ops\",\"scopes\":[\"admin\"]}").get("secret").asText();
    Http.Answer images = Http.postJson(gateway.url("/v1/images/generations"), secret, "{\"prompt\":\"x\"}");
    assertThat(images.status()).isEqualTo(403);
    assertThat(images.error().get("code").asText()).isEqualTo("scope_required");
    assertThat(modelsStatus(secret)).isEqualTo(200);
    assertThat(Http.get(gateway.url(KEYS), secret).status()).isEqualTo(200);
  }

  @Test
  void create_withOnlyAName_hasNoLimits() {
    JsonNode created = create("{\"name\":\"plain\"}");
    assertThat(created.get("owner").isNull()).isTrue();
    assertThat(created.get("models").isEmpty()).isTrue();
    assertThat(created.get("scopes").toString()).isEqualTo("[\"images\"]");
    assertThat(created.get("rpm").isNull()).isTrue();
    assertThat(created.get("ipm").isNull()).isTrue();
    assertThat(created.get("budget").isNull()).isTrue();
    assertThat(created.get("expires_at").isNull()).isTrue();
  }

  @Test
  void patch_changesOnlyGivenFields_nullClearsALimit() {
    JsonNode created = create("{\"name\":\"p\",\"rpm\":10,\"ipm\":20,\"budget\":{\"usd\":1,\"period\":\"daily\"}}");
    String path = KEYS + "/" + created.get("id").asText();
    Http.Answer patched = patch(path, MASTER, "{\"rpm\":null,\"ipm\":30,\"owner\":\"ops\"}");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("rpm").isNull()).isTrue();
    assertThat(patched.json().get("ipm").asInt()).isEqualTo(30);
    assertThat(patched.json().get("owner").asText()).isEqualTo("ops");
    assertThat(patched.json().get("name").asText()).isEqualTo("p");
    assertThat(patched.json().get("budget").get("period").asText()).isEqualTo("daily");
    assertThat(patched.json().has("secret")).isFalse();
    assertThat(Http.get(gateway.url(path), MASTER).json()).isEqualTo(patched.json());

    Http.Answer cleared = patch(path, MASTER, "{\"budget\":null}");
    assertThat(cleared.json().get("budget").isNull()).isTrue();
    assertThat(cleared.json().get("ipm").asInt()).isEqualTo(30);
  }

  @Test
  void disabledKey_is401_untilEnabledAgain() {
    JsonNode created = create("{\"name\":\"d\"}");
    String secret = created.get("secret").asText();
    String path = KEYS + "/" + created.get("id").asText();
    assertThat(modelsStatus(secret)).isEqualTo(200);
    assertThat(patch(path, MASTER, "{\"disabled\":true}").json().get("disabled").asBoolean()).isTrue();
    Http.Answer refused = Http.get(gateway.url("/v1/models"), secret);
    assertError(refused, 401, "invalid_request_error", null, "invalid_api_key");
    assertThat(refused.error().get("message").asText()).contains("disabled");
    patch(path, MASTER, "{\"disabled\":false}");
    assertThat(modelsStatus(secret)).isEqualTo(200);
  }

  @Test
  void expiredKey_is401() {
    JsonNode created = create("{\"name\":\"e\"}");
    String secret = created.get("secret").asText();
    String path = KEYS + "/" + created.get("id").asText();
    assertThat(modelsStatus(secret)).isEqualTo(200);
    long past = Instant.now().minusSeconds(5).getEpochSecond();
    assertThat(patch(path, MASTER, "{\"expires_at\":" + past + "}").json().get("expires_at").asLong()).isEqualTo(past);
    Http.Answer refused = Http.get(gateway.url("/v1/models"), secret);
    assertError(refused, 401, "invalid_request_error", null, "invalid_api_key");
    assertThat(refused.error().get("message").asText()).contains("expired");
    // Extending it lets it in again.
    patch(path, MASTER, "{\"expires_at\":null}");
    assertThat(modelsStatus(secret)).isEqualTo(200);
  }

  @Test
  void expiredKey_setThroughTheStore_is401() {
    JsonNode created = create("{\"name\":\"e2\"}");
    gateway.gateway().keys().update(created.get("id").asText(),
        new KeyPatch().expiresAt(Instant.now().minusMillis(1)));
    assertError(Http.get(gateway.url("/v1/models"), created.get("secret").asText()), 401, "invalid_request_error",
        null, "invalid_api_key");
  }

  @Test
  void delete_revokes_andTheKeyIsRefusedOnItsNextRequest() {
    JsonNode created = create("{\"name\":\"r\"}");
    String secret = created.get("secret").asText();
    String path = KEYS + "/" + created.get("id").asText();
    assertThat(modelsStatus(secret)).isEqualTo(200);
    Http.Answer deleted = delete(path, MASTER);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("revoked_at").isNumber()).isTrue();
    Http.Answer refused = Http.get(gateway.url("/v1/models"), secret);
    assertError(refused, 401, "invalid_request_error", null, "invalid_api_key");
    assertThat(refused.error().get("message").asText()).contains("revoked");
    // The row stays (for the ledger), shown as revoked; deleting again changes nothing.
    assertThat(Http.get(gateway.url(path), MASTER).json().get("revoked_at").asLong())
        .isEqualTo(deleted.json().get("revoked_at").asLong());
    assertThat(delete(path, MASTER).status()).isEqualTo(200);
  }

  @Test
  void nonAdminKey_is403_adminScopeKey_is200() {
    String plain = create("{\"name\":\"user\"}").get("secret").asText();
    assertError(Http.get(gateway.url(KEYS), plain), 403, "permission_denied", null, "admin_required");
    assertError(Http.postJson(gateway.url(KEYS), plain, "{\"name\":\"x\"}"), 403, "permission_denied", null,
        "admin_required");
    String admin = create("{\"name\":\"ops\",\"scopes\":[\"images\",\"admin\"]}").get("secret").asText();
    assertThat(Http.get(gateway.url(KEYS), admin).status()).isEqualTo(200);
    Http.Answer made = Http.postJson(gateway.url(KEYS), admin, "{\"name\":\"by-admin-key\"}");
    assertThat(made.status()).isEqualTo(201);
  }

  @Test
  void noOrWrongKey_is401OnAdmin() {
    assertError(Http.get(gateway.url(KEYS), null), 401, "invalid_request_error", null, "invalid_api_key");
    assertError(Http.get(gateway.url(KEYS), "sk-wrong"), 401, "invalid_request_error", null, "invalid_api_key");
    assertError(delete(KEYS + "/key_x", null), 401, "invalid_request_error", null, "invalid_api_key");
  }

  @Test
  void unknownId_is404() {
    assertError(Http.get(gateway.url(KEYS + "/key_nothing"), MASTER), 404, "invalid_request_error", null,
        "key_not_found");
    assertError(patch(KEYS + "/key_nothing", MASTER, "{\"rpm\":5}"), 404, "invalid_request_error", null,
        "key_not_found");
    assertError(delete(KEYS + "/key_nothing", MASTER), 404, "invalid_request_error", null, "key_not_found");
  }

  @Test
  void keyLimitedToAModel_is403OnAnother() {
    String secret = create("{\"name\":\"m\",\"models\":[\"gpt-image-1\"]}").get("secret").asText();
    assertError(Http.postJson(gateway.url("/v1/images/generations"), secret,
        "{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}"), 403, "permission_denied", "model", "model_not_allowed");
  }

  record Case(String name, String body, String param, String code) {
    @Override
    public String toString() { return name; }
  }

  static Stream<Case> invalidCreates() {
    String bad = "invalid_value";
    long past = Instant.now().minusSeconds(60).getEpochSecond();
    return Stream.of(
        new Case("no name", "{}", "name", "missing_required_parameter"),
        new Case("blank name", "{\"name\":\" \"}", "name", bad),
        new Case("name a number", "{\"name\":5}", "name", bad),
        new Case("name too long", "{\"name\":\"" + "a".repeat(201) + "\"}", "name", bad),
        new Case("owner a number", "{\"name\":\"x\",\"owner\":1}", "owner", bad),
        new Case("unknown field", "{\"name\":\"x\",\"colour\":\"red\"}", "colour", "unknown_parameter"),
        new Case("models not array", "{\"name\":\"x\",\"models\":\"gpt-image-2\"}", "models", bad),
        new Case("unknown model", "{\"name\":\"x\",\"models\":[\"gpt-image-9\"]}", "models", bad),
        new Case("scopes unknown", "{\"name\":\"x\",\"scopes\":[\"root\"]}", "scopes", bad),
        new Case("scopes empty", "{\"name\":\"x\",\"scopes\":[]}", "scopes", bad),
        new Case("rpm zero", "{\"name\":\"x\",\"rpm\":0}", "rpm", bad),
        new Case("rpm negative", "{\"name\":\"x\",\"rpm\":-1}", "rpm", bad),
        new Case("rpm fraction", "{\"name\":\"x\",\"rpm\":1.5}", "rpm", bad),
        new Case("rpm string", "{\"name\":\"x\",\"rpm\":\"10\"}", "rpm", bad),
        new Case("ipm zero", "{\"name\":\"x\",\"ipm\":0}", "ipm", bad),
        new Case("ipm huge", "{\"name\":\"x\",\"ipm\":99999999999}", "ipm", bad),
        new Case("budget number", "{\"name\":\"x\",\"budget\":10}", "budget", bad),
        new Case("budget negative", "{\"name\":\"x\",\"budget\":{\"usd\":-1,\"period\":\"total\"}}", "budget.usd", bad),
        new Case("budget usd string", "{\"name\":\"x\",\"budget\":{\"usd\":\"5\"}}", "budget.usd", bad),
        new Case("budget no usd", "{\"name\":\"x\",\"budget\":{\"period\":\"daily\"}}", "budget.usd",
            "missing_required_parameter"),
        new Case("budget period", "{\"name\":\"x\",\"budget\":{\"usd\":1,\"period\":\"weekly\"}}", "budget.period", bad),
        new Case("expires in past", "{\"name\":\"x\",\"expires_at\":" + past + "}", "expires_at", bad),
        new Case("expires a string", "{\"name\":\"x\",\"expires_at\":\"tomorrow\"}", "expires_at", bad),
        new Case("disabled a string", "{\"name\":\"x\",\"disabled\":\"yes\"}", "disabled", bad),
        new Case("body an array", "[1]", null, bad));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCreates")
  void post_invalidField_is400WithParam(Case c) {
    int before = Http.get(gateway.url(KEYS), MASTER).json().get("data").size();
    assertError(Http.postJson(gateway.url(KEYS), MASTER, c.body()), 400, "invalid_request_error", c.param(),
        c.code());
    assertThat(Http.get(gateway.url(KEYS), MASTER).json().get("data").size()).as("no key made").isEqualTo(before);
  }

  @Test
  void patch_invalidField_is400WithParam_andChangesNothing() {
    JsonNode created = create("{\"name\":\"v\",\"rpm\":7}");
    String path = KEYS + "/" + created.get("id").asText();
    assertError(patch(path, MASTER, "{\"rpm\":0}"), 400, "invalid_request_error", "rpm", "invalid_value");
    assertError(patch(path, MASTER, "{\"ipm\":5,\"name\":null}"), 400, "invalid_request_error", "name",
        "invalid_value");
    assertError(patch(path, MASTER, "{\"id\":\"key_other\"}"), 400, "invalid_request_error", "id",
        "unknown_parameter");
    assertError(patch(path, MASTER, "{\"scopes\":null}"), 400, "invalid_request_error", "scopes", "invalid_value");
    assertError(patch(path, MASTER, "{\"models\":[\"dall-e-9\"]}"), 400, "invalid_request_error", "models",
        "invalid_value");
    JsonNode now = Http.get(gateway.url(path), MASTER).json();
    assertThat(now.get("rpm").asInt()).isEqualTo(7);
    assertThat(now.get("ipm").isNull()).isTrue();
    assertThat(now.get("name").asText()).isEqualTo("v");
  }

  @Test
  void post_malformedJsonOrNotJson_isRefused() {
    assertError(Http.postJson(gateway.url(KEYS), MASTER, "{\"name\":"), 400, "invalid_request_error", null, null);
    assertError(Http.post(gateway.url(KEYS), MASTER, "text/plain", "name=x".getBytes()), 415,
        "invalid_request_error", null, "unsupported_media_type");
  }

  @Test
  void errors_neverShowASecret() {
    JsonNode created = create("{\"name\":\"s\"}");
    String secret = created.get("secret").asText();
    List<Http.Answer> answers = List.of(Http.get(gateway.url(KEYS), secret),
        Http.postJson(gateway.url(KEYS), MASTER, "{\"name\":\"" + secret + "\",\"rpm\":0}"));
    for (Http.Answer a : answers) assertThat(raw(a)).doesNotContain(secret).doesNotContain(MASTER);
  }
}
