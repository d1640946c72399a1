package io.imagegate.provider.ark;

import io.imagegate.config.DeploymentConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

/** ModelArk: {@code {base}/api/v3/images/generations} for text- and image-to-image alike, Bearer auth. */
final class ArkEndpoints {
  private final String base;
  private final String apiKey;

  ArkEndpoints(DeploymentConfig deployment) {
    String b = deployment.baseUrl().toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.apiKey = deployment.apiKey();
  }

  URI generations() { return URI.create(base + "/api/v3/images/generations"); }

  void authorize(HttpRequest.Builder request) {
    if (apiKey != null && !apiKey.isBlank()) request.header("Authorization", "Bearer " + apiKey);
  }

  /** Every secret this upstream holds, to be scrubbed from anything shown to clients or logs. */
  List<String> secrets() { return apiKey == null ? List.of() : List.of(apiKey); }
}
