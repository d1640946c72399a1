package io.imagegate.provider.dashscope;

import io.imagegate.config.DeploymentConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * DashScope's image endpoints under {@code {base}/api/v1}: the synchronous
 * {@code services/aigc/multimodal-generation/generation}, the async {@code services/aigc/text2image/image-synthesis}
 * and {@code tasks/{id}}; all with {@code Authorization: Bearer}.
 */
final class DashscopeEndpoints {
  private final String base;
  private final String apiKey;

  DashscopeEndpoints(DeploymentConfig deployment) {
    String b = deployment.baseUrl().toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.apiKey = deployment.apiKey();
  }

  URI generation() { return URI.create(base + "/api/v1/services/aigc/multimodal-generation/generation"); }

  URI synthesis() { return URI.create(base + "/api/v1/services/aigc/text2image/image-synthesis"); }

  /** A task's status; its id is checked to be a plain token, so that it cannot reach another path. */
  URI task(String id) {
    if (!id.matches("[A-Za-z0-9_-]{1,128}")) throw io.imagegate.provider.UpstreamException.retryable(
        "the upstream's task_id is not a task id");
    return URI.create(base + "/api/v1/tasks/" + id);
  }

  void authorize(HttpRequest.Builder request) {
    if (apiKey != null && !apiKey.isBlank()) request.header("Authorization", "Bearer " + apiKey);
  }

  /** Every secret this upstream holds, to be scrubbed from anything shown to clients or logs. */
  List<String> secrets() { return apiKey == null ? List.of() : List.of(apiKey); }
}
