package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.testing.RunningGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 405 with Allow, OPTIONS on every route, and CORS for the origins IMAGEGATE_CORS_ORIGINS names (off by default). */
class CorsAndMethodsIT {
  private static final String APP = "https://app.example.com";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static RunningGateway withCors;
  private static RunningGateway plain;

  @BeforeAll
  static void start() {
    withCors = RunningGateway.start(Map.of("IMAGEGATE_CORS_ORIGINS", APP + ", http://localhost:3000"));
    plain = RunningGateway.start();
  }

  @AfterAll
  static void stop() {
    withCors.close();
    plain.close();
  }

  @Test
  void preflight_fromAnAllowedOrigin_allowsTheRouteMethodsAndTheSdkHeaders() throws Exception {
    HttpResponse<String> r = send(withCors, HttpRequest.newBuilder(uri(withCors, "/v1/images/generations"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", APP)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key, x-stainless-os"));
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(header(r, "access-control-allow-origin")).isEqualTo(APP);
    assertThat(header(r, "access-control-allow-methods")).isEqualTo("POST, OPTIONS");
    assertThat(header(r, "access-control-allow-headers"))
        .isEqualTo("Authorization, Content-Type, Idempotency-Key, x-stainless-os");
    assertThat(header(r, "access-control-max-age")).isEqualTo("600");
    assertThat(header(r, "access-control-allow-credentials")).isNull();
    assertThat(header(r, "vary")).contains("Origin");
  }

  @Test
  void crossOriginCall_fromAnAllowedOrigin_exposesTheGatewayHeaders() throws Exception {
    HttpResponse<String> r = send(withCors, HttpRequest.newBuilder(uri(withCors, "/v1/images/generations"))
        .header("Origin", "http://localhost:3000").header("Authorization", "Bearer " + RunningGateway.MASTER_KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-image-2\",\"prompt\":\"a red kite\",\"size\":\"1024x1024\",\"quality\":\"low\"}")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "access-control-allow-origin")).isEqualTo("http://localhost:3000");
    assertThat(header(r, "access-control-expose-headers")).contains("x-request-id", "x-imagegate-provider",
        "x-ratelimit-remaining-requests", "retry-after");
  }

  @Test
  void otherOrigins_andGatewaysWithoutTheSetting_getNoCorsHeaders() throws Exception {
    for (RunningGateway g : new RunningGateway[] {withCors, plain}) {
      String origin = g == withCors ? "https://evil.example" : APP;
      HttpResponse<String> r = send(g, HttpRequest.newBuilder(uri(g, "/v1/models")).header("Origin", origin)
          .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "access-control-allow-origin")).isNull();
      HttpResponse<String> pre = send(g, HttpRequest.newBuilder(uri(g, "/v1/models"))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
          .header("Access-Control-Request-Method", "GET"));
      assertThat(pre.statusCode()).isEqualTo(204);
      assertThat(header(pre, "access-control-allow-origin")).isNull();
      assertThat(header(pre, "access-control-allow-methods")).isNull();
    }
  }

  @Test
  void anyOrigin_withStar_getsTheWildcardAndNoVary() throws Exception {
    try (RunningGateway any = RunningGateway.start(Map.of("IMAGEGATE_CORS_ORIGINS", "*"))) {
      HttpResponse<String> r = send(any, HttpRequest.newBuilder(uri(any, "/v1/models")).header("Origin", "https://x.example")
          .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "access-control-allow-origin")).isEqualTo("*");
      assertThat(header(r, "vary")).isNull();
    }
  }

  @Test
  void options_onEveryRoute_saysWhatItAllows_withoutAKey() throws Exception {
    Map<String, String> expected = Map.of("/v1/images/edits", "POST, OPTIONS", "/v1/models", "GET, OPTIONS",
        "/v1/models/gpt-image-2", "GET, OPTIONS", "/admin/keys", "POST, GET, OPTIONS",
        "/admin/keys/key_abc", "GET, PATCH, DELETE, OPTIONS", "/health", "GET, OPTIONS");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      HttpResponse<String> r = send(plain, HttpRequest.newBuilder(uri(plain, e.getKey()))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(204);
      assertThat(header(r, "allow")).as(e.getKey()).isEqualTo(e.getValue());
    }
    HttpResponse<String> unknown = send(plain, HttpRequest.newBuilder(uri(plain, "/v1/nothing"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  void wrongMethod_onAKnownPath_is405WithAllow() throws Exception {
    String[][] cases = {{"GET", "/v1/images/generations", "POST, OPTIONS"}, {"DELETE", "/admin/keys", "POST, GET, OPTIONS"},
        {"PUT", "/v1/models", "GET, OPTIONS"}, {"POST", "/admin/keys/key_abc", "GET, PATCH, DELETE, OPTIONS"}};
    for (String[] c : cases) {
      HttpResponse<String> r = send(plain, HttpRequest.newBuilder(uri(plain, c[1]))
          .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY)
          .method(c[0], HttpRequest.BodyPublishers.noBody()));
      assertThat(r.statusCode()).as(c[0] + " " + c[1]).isEqualTo(405);
      assertThat(header(r, "allow")).isEqualTo(c[2]);
      assertThat(header(r, "content-type")).startsWith("application/json");
      var error = JSON.readTree(r.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("method_not_allowed");
      assertThat(error.get("message").asText()).contains(c[0]).contains(c[2]);
    }
  }

  private static URI uri(RunningGateway g, String path) { return URI.create(g.url(path)); }

  private static String header(HttpResponse<?> r, String name) { return r.headers().firstValue(name).orElse(null); }

  private static HttpResponse<String> send(RunningGateway g, HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
