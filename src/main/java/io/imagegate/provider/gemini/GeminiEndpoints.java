package io.imagegate.provider.gemini;

import io.imagegate.config.DeploymentConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The Gemini API: {@code {base}/v1beta/models/{model}:generateContent}, the key in {@code x-goog-api-key}. */
final class GeminiEndpoints {
  private final String base;
  private final String apiKey;

  GeminiEndpoints(DeploymentConfig deployment) {
    String b = deployment.baseUrl().toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.apiKey = deployment.apiKey();
  }

  URI generateContent(String model) {
    return URI.create(base + "/v1beta/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":generateContent");
  }

  void authorize(HttpRequest.Builder request) {
    if (apiKey != null && !apiKey.isBlank()) request.header("x-goog-api-key", apiKey);
  }

  /** Every secret this upstream holds, to be scrubbed from anything shown to clients or logs. */
  List<String> secrets() { return apiKey == null ? List.of() : List.of(apiKey); }
}
