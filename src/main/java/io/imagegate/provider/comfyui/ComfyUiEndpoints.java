package io.imagegate.provider.comfyui;

import io.imagegate.config.DeploymentConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The ComfyUI server's routes under the deployment's {@code base_url}. ComfyUI has no authentication of its
 * own; a key, when the deployment gives one (a reverse proxy's), goes as {@code Authorization: Bearer} on
 * every call.
 */
final class ComfyUiEndpoints {
  private final String base;
  private final String apiKey;

  ComfyUiEndpoints(DeploymentConfig deployment) {
    String b = deployment.baseUrl().toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.apiKey = deployment.apiKey();
  }

  URI uploadImage() { return URI.create(base + "/upload/image"); }

  URI uploadMask() { return URI.create(base + "/upload/mask"); }

  URI prompt() { return URI.create(base + "/prompt"); }

  URI history(String promptId) { return URI.create(base + "/history/" + encode(promptId)); }

  URI view(String filename, String subfolder, String type) {
    return URI.create(base + "/view?filename=" + encode(filename) + "&subfolder=" + encode(subfolder)
        + "&type=" + encode(type));
  }

  URI interrupt() { return URI.create(base + "/interrupt"); }

  URI queue() { return URI.create(base + "/queue"); }

  void authorize(HttpRequest.Builder request) {
    if (apiKey != null && !apiKey.isBlank()) request.header("Authorization", "Bearer " + apiKey);
  }

  /** Every secret this upstream holds, to be scrubbed from anything shown to clients or logs. */
  List<String> secrets() { return apiKey == null ? List.of() : List.of(apiKey); }

  private static String encode(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }
}
