package io.imagegate.provider.azure;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.provider.openai.Endpoints;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Azure OpenAI (spec §9): {@code {resource}/openai/deployments/{deployment}/images/generations?api-version=…}
 * and {@code /images/edits} (multipart only), the key in an {@code api-key} header, the model named by the
 * deployment in the path rather than in the body.
 */
public final class AzureEndpoints implements Endpoints {
  private final URI resource;
  private final String deployment;
  private final String apiVersion;
  private final String apiKey;

  public AzureEndpoints(DeploymentConfig config) {
    this.resource = config.baseUrl();
    this.deployment = config.option(AzureProvider.DEPLOYMENT);
    this.apiVersion = config.option(AzureProvider.VERSION);
    this.apiKey = config.apiKey();
  }

  @Override
  public String kind() { return "azure"; }

  @Override
  public URI generations() { return resolve("generations"); }

  @Override
  public URI edits() { return resolve("edits"); }

  @Override
  public void authorize(HttpRequest.Builder request) {
    if (apiKey != null) request.header("api-key", apiKey);
  }

  @Override
  public boolean sendsModel() { return false; }

  @Override
  public List<String> secrets() { return apiKey == null ? List.of() : List.of(apiKey); }

  private URI resolve(String operation) {
    String b = resource.toString();
    b = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    return URI.create(b + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
        + "/images/" + operation + "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8));
  }
}
