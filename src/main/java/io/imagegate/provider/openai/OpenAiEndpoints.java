package io.imagegate.provider.openai;

import io.imagegate.config.DeploymentConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

/** OpenAI: {@code {base}/v1/images/generations} (JSON) and {@code /v1/images/edits} (multipart), Bearer auth. */
public final class OpenAiEndpoints implements Endpoints {
  private final URI base;
  private final String apiKey;
  private final String kind;
  private final URI generations;
  private final URI edits;

  public OpenAiEndpoints(DeploymentConfig deployment) { this(deployment, "openai"); }

  /** Also the shape of OpenAI-compatible servers, which differ only in their name and optional key. */
  public OpenAiEndpoints(DeploymentConfig deployment, String kind) {
    this.base = deployment.baseUrl();
    this.apiKey = deployment.apiKey();
    this.kind = kind;
    this.generations = resolve("/v1/images/generations");
    this.edits = resolve("/v1/images/edits");
  }

  @Override
  public String kind() { return kind; }

  @Override
  public URI generations() { return generations; }

  @Override
  public URI edits() { return edits; }

  @Override
  public void authorize(HttpRequest.Builder request) {
    if (apiKey != null && !apiKey.isBlank()) request.header("Authorization", "Bearer " + apiKey);
  }

  @Override
  public boolean sendsModel() { return true; }

  @Override
  public List<String> secrets() { return apiKey == null ? List.of() : List.of(apiKey); }

  private URI resolve(String path) {
    String b = base.toString();
    return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
  }
}
