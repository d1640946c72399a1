package io.imagegate.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import okhttp3.mockwebserver.MockResponse;

/** Canned answers of an OpenAI-shaped upstream, for {@link FakeUpstream#enqueue}. */
public final class UpstreamReplies {
  /** The usage the canned image answers report (distinct numbers, so pass-through is visible). */
  public static final String USAGE = "{\"input_tokens\":57,\"output_tokens\":4242,\"total_tokens\":4299,"
      + "\"input_tokens_details\":{\"text_tokens\":13,\"image_tokens\":44},"
      + "\"output_tokens_details\":{\"image_tokens\":4242,\"text_tokens\":0}}";

  private UpstreamReplies() {}

  public static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  /** An images answer with one b64 image, its facts, and {@link #USAGE}. */
  public static MockResponse image(byte[] png) { return json(200, imageBody(png, true)); }

  /** The same without {@code usage}. */
  public static MockResponse imageWithoutUsage(byte[] png) { return json(200, imageBody(png, false)); }

  public static String imageBody(byte[] png, boolean usage) {
    return "{\"created\":1776847985,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png)
        + "\"}],\"background\":\"opaque\",\"output_format\":\"png\",\"quality\":\"low\",\"size\":\"1024x1024\""
        + (usage ? ",\"usage\":" + USAGE : "") + "}";
  }

  /** An images answer whose image is a URL to download. */
  public static MockResponse imageUrl(String url) {
    return json(200, "{\"created\":1776847985,\"data\":[{\"url\":\"" + url + "\"}],\"background\":\"opaque\","
        + "\"output_format\":\"png\",\"quality\":\"low\",\"size\":\"1024x1024\",\"usage\":" + USAGE + "}");
  }

  /** OpenAI's error shape. */
  public static MockResponse error(int status, String type, String code, String message) {
    return json(status, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":"
        + (code == null ? "null" : "\"" + code + "\"") + ",\"param\":null}}");
  }

  /** A server-sent-event body from whole frames ({@code event: ...\ndata: ...\n\n} each). */
  public static MockResponse sse(String... frames) {
    return new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(String.join("", frames));
  }

  /** One SSE frame text. */
  public static String frame(String event, String data) { return "event: " + event + "\ndata: " + data + "\n\n"; }

  public static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
