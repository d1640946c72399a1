package io.imagegate.provider.bfl;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.provider.UpstreamException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;

/**
 * The BFL API: {@code POST {base}/v1/{model}} submits a task; its answer names the {@code polling_url},
 * which is polled with the same {@code x-key}. A polling URL is followed only on the deployment's own host or
 * a {@code bfl.ai} host (BFL answers regional ones), so that the key never goes anywhere else.
 */
final class BflEndpoints {
  private final URI base;
  private final String apiKey;

  BflEndpoints(DeploymentConfig deployment) {
    String b = deployment.baseUrl().toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.apiKey = deployment.apiKey();
  }

  URI submit(String model) { return URI.create(base + "/v1/" + model); }

  /** The task's polling URL, checked: an absolute http(s) URL on this deployment's host or under bfl.ai. */
  URI polling(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw UpstreamException.retryable("the upstream's polling_url is not a URL");
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
    boolean ours = host.equals(base.getHost()) || host.equals("bfl.ai") || host.endsWith(".bfl.ai");
    if (!web || !ours) {
      throw UpstreamException.retryable("the upstream's polling_url is not on " + base.getHost() + " or bfl.ai");
    }
    return uri;
  }

  void authorize(HttpRequest.Builder request) {
    if (apiKey != null && !apiKey.isBlank()) request.header("x-key", apiKey);
  }

  /** Every secret this upstream holds, to be scrubbed from anything shown to clients or logs. */
  List<String> secrets() { return apiKey == null ? List.of() : List.of(apiKey); }
}
