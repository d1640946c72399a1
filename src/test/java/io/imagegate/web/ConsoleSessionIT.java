package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's sign-in over real HTTP: an admin key exchanged for an HttpOnly, SameSite=Strict cookie that
 * opens the admin API (and the playground) but never {@code /v1}; changes made with it must come from the
 * gateway's own origin; it ends with sign-out, with its key, and with a new master key.
 */
class ConsoleSessionIT {
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void signingInWithTheMasterKey_setsAStrictHttpOnlyCookieWithoutAPath() {
    Http.Answer in = signIn(RunningGateway.MASTER_KEY);
    assertThat(in.status()).as(in.json().toString()).isEqualTo(201);
    String cookie = in.header("Set-Cookie");
    assertThat(cookie).startsWith(ConsoleSession.COOKIE + "=").contains("; HttpOnly").contains("; SameSite=Strict")
        .contains("; Max-Age=43200").doesNotContain("Path=").doesNotContain("Secure");
    assertThat(cookie).doesNotContain(RunningGateway.MASTER_KEY);
    assertThat(in.header("Cache-Control")).isEqualTo("no-store");
    assertThat(in.json().at("/key/id").asText()).isEqualTo("master");
    assertThat(in.json().get("expires_at").asLong()).isGreaterThan(System.currentTimeMillis() / 1000 + 43000);
    Http.Answer who = withCookie("GET", "/admin/session", token(in), null, null);
    assertThat(who.status()).isEqualTo(200);
    assertThat(who.json().at("/key/name").asText()).isEqualTo("master");
  }

  @Test
  void signInNeedsAnAdminKeyAsBearer() {
    assertThat(signIn(null).status()).isEqualTo(401);
    assertThat(signIn("sk-wrong-key-000000000000").error().get("code").asText()).isEqualTo("invalid_api_key");
    String plain = createKey("{\"name\":\"plain\"}");
    Http.Answer refused = signIn(plain);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.error().get("code").asText()).isEqualTo("admin_required");
    String admin = createKey("{\"name\":\"ops\",\"scopes\":[\"images\",\"admin\"]}");
    assertThat(signIn(admin).status()).isEqualTo(201);
  }

  @Test
  void theCookieOpensTheAdminApi_butNeverV1() {
    String token = token(signIn(RunningGateway.MASTER_KEY));
    assertThat(withCookie("GET", "/admin/keys", token, null, null).status()).isEqualTo(200);
    assertThat(withCookie("GET", "/admin/providers", token, null, null).status()).isEqualTo(200);
    Http.Answer v1 = withCookie("GET", "/v1/models", token, null, null);
    assertThat(v1.status()).isEqualTo(401);
    assertThat(v1.error().get("code").asText()).isEqualTo("invalid_api_key");
    assertThat(withCookie("GET", "/admin/keys", "not-a-session", null, null).error().get("code").asText())
        .isEqualTo("invalid_session");
  }

  @Test
  void aChangeWithTheCookie_mustComeFromTheGatewaysOwnOrigin() {
    String token = token(signIn(RunningGateway.MASTER_KEY));
    String body = "{\"name\":\"from-the-page\"}";
    Http.Answer noOrigin = withCookie("POST", "/admin/keys", token, null, body);
    assertThat(noOrigin.status()).isEqualTo(403);
    assertThat(noOrigin.error().get("code").asText()).isEqualTo("origin_mismatch");
    assertThat(withCookie("POST", "/admin/keys", token, "http://evil.example", body).status()).isEqualTo(403);
    assertThat(withCookie("POST", "/admin/keys", token, "http://127.0.0.1:1", body).status()).isEqualTo(403);
    Http.Answer same = withCookie("POST", "/admin/keys", token, gateway.baseUrl(), body);
    assertThat(same.status()).as(same.json().toString()).isEqualTo(201);
    Http.Answer generated = withCookie("POST", "/admin/playground/images/generations", token, gateway.baseUrl(),
        "{\"model\":\"gpt-image-2\",\"prompt\":\"a lighthouse\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
    assertThat(generated.status()).as(new String(generated.raw().body())).isEqualTo(200);
    assertThat(generated.json().at("/data/0/b64_json").asText()).hasSizeGreaterThan(1000);
    assertThat(withCookie("POST", "/admin/playground/images/generations", token, null, "{}").status()).isEqualTo(403);
  }

  @Test
  void signingOut_endsTheSession() {
    String token = token(signIn(RunningGateway.MASTER_KEY));
    Http.Answer out = withCookie("DELETE", "/admin/session", token, gateway.baseUrl(), null);
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.header("Set-Cookie")).startsWith(ConsoleSession.COOKIE + "=;").contains("Max-Age=0");
    Http.Answer after = withCookie("GET", "/admin/keys", token, null, null);
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.error().get("code").asText()).isEqualTo("invalid_session");
  }

  @Test
  void aSessionEndsWithItsKey() {
    String admin = createKey("{\"name\":\"temp-admin\",\"scopes\":[\"images\",\"admin\"]}");
    String token = token(signIn(admin));
    assertThat(withCookie("GET", "/admin/keys", token, null, null).status()).isEqualTo(200);
    String id = keyId("temp-admin");
    Http.send(HttpRequest.newBuilder(URI.create(gateway.url("/admin/keys/" + id)))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).DELETE().build());
    assertThat(withCookie("GET", "/admin/keys", token, null, null).error().get("code").asText()).isEqualTo("invalid_session");
  }

  @Test
  void aMasterKeySessionEndsWhenTheMasterKeyChanges() {
    String token = token(signIn(RunningGateway.MASTER_KEY));
    gateway.close();
    try (RunningGateway other = RunningGateway.start(Map.of("IMAGEGATE_DATA_DIR", gateway.dataDir().toString(),
        "IMAGEGATE_MASTER_KEY", "sk-another-master-key-0123"))) {
      Http.Answer refused = Http.send(HttpRequest.newBuilder(URI.create(other.url("/admin/keys")))
          .header("Cookie", ConsoleSession.COOKIE + "=" + token).GET().build());
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.error().get("message").asText()).contains("master key has changed");
    } finally {
      gateway = RunningGateway.start(Map.of("IMAGEGATE_DATA_DIR", gateway.dataDir().toString()));
    }
    assertThat(withCookie("GET", "/admin/keys", token, null, null).status()).as("the same master key again").isEqualTo(200);
  }

  private static String keyId(String name) {
    for (var k : Http.get(gateway.url("/admin/keys"), RunningGateway.MASTER_KEY).json().get("data")) {
      if (k.get("name").asText().equals(name)) return k.get("id").asText();
    }
    throw new AssertionError("no key " + name);
  }

  private static String createKey(String json) {
    Http.Answer made = Http.postJson(gateway.url("/admin/keys"), RunningGateway.MASTER_KEY, json);
    assertThat(made.status()).isEqualTo(201);
    return made.json().get("secret").asText();
  }

  private static Http.Answer signIn(String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url("/admin/session")))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30));
    if (key != null) b.header("Authorization", "Bearer " + key);
    return Http.send(b.build());
  }

  private static String token(Http.Answer signIn) {
    String cookie = signIn.header("Set-Cookie");
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  private static Http.Answer withCookie(String method, String path, String token, String origin, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url(path))).timeout(Duration.ofSeconds(60))
        .header("Cookie", ConsoleSession.COOKIE + "=" + token)
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    if (origin != null) b.header("Origin", origin);
    return Http.send(b.build());
  }
}
