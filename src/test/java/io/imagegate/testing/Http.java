package io.imagegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests: real requests, raw answers. */
public final class Http {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  /** An answer with its body parsed as JSON (null when it is not JSON). */
  public record Answer(int status, HttpResponse<byte[]> raw, JsonNode json) {
    public String header(String name) { return raw.headers().firstValue(name).orElse(null); }

    public JsonNode error() { return json.get("error"); }
  }

  public static Answer postJson(String url, String key, String body) {
    return send(request(url, key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public static Answer post(String url, String key, String contentType, byte[] body) {
    HttpRequest.Builder b = request(url, key).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) b.header("Content-Type", contentType);
    return send(b.build());
  }

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Answer get(String url, String key) { return send(request(url, key).GET().build()); }

  private static HttpRequest.Builder request(String url, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
    if (key != null) b.header("Authorization", "Bearer " + key);
    return b;
  }

  public static Answer send(HttpRequest request) {
    try {
      HttpResponse<byte[]> raw = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = null;
      try {
        json = JSON.readTree(raw.body());
      } catch (IOException notJson) {
        // leave null: the test asserts on status and raw body
      }
      return new Answer(raw.statusCode(), raw, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
