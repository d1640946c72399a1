package io.imagegate.provider.automatic1111;

import io.imagegate.config.DeploymentConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The WebUI's API under {@code {base}/sdapi/v1}: {@code txt2img}, {@code img2img}, {@code progress} and
 * {@code interrupt}, each with the deployment's HTTP Basic credentials when it has {@code api_auth}.
 */
final class Automatic1111Endpoints {
  private final String base;
  private final String basic;
  private final String auth;

  Automatic1111Endpoints(DeploymentConfig deployment) {
    String b = deployment.baseUrl().toString();
    this.base = (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/sdapi/v1";
    String a = deployment.option(Automatic1111Provider.API_AUTH);
    this.auth = a == null || a.isBlank() ? null : a.strip();
    if (auth != null && auth.indexOf(':') < 1) {
      throw new IllegalArgumentException("deployment " + deployment.name() + ": api_auth must be user:password");
    }
    this.basic = auth == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8));
  }

  URI txt2img() { return URI.create(base + "/txt2img"); }

  URI img2img() { return URI.create(base + "/img2img"); }

  URI progress() { return URI.create(base + "/progress?skip_current_image=false"); }

  URI interrupt() { return URI.create(base + "/interrupt"); }

  void authorize(HttpRequest.Builder request) {
    if (basic != null) request.header("Authorization", basic);
  }

  /** Every secret this upstream holds, to be scrubbed from anything shown to clients or logs. */
  List<String> secrets() {
    List<String> s = new ArrayList<>();
    if (auth != null) {
      s.add(auth);
      s.add(auth.substring(auth.indexOf(':') + 1));
      s.add(basic.substring("Basic ".length()));
    }
    return s;
  }
}
