package io.imagegate.provider.ark;

import static io.imagegate.provider.Secrets.scrub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.ApiException;
import io.imagegate.image.ImageProbe;
import io.imagegate.provider.UpstreamException;
import io.imagegate.usage.Usage;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Answer and error mapping for ModelArk's images API. One call asks for one image: its {@code data[0]} is
 * the image ({@code b64_json}) or that image's own {@code error}; a content-moderation code
 * ({@code …SensitiveContentDetected}), there or as the whole answer's error, is the client's 400
 * {@code moderation_blocked}. Error statuses say whether to retry: 429 and 5xx are worth another try.
 */
final class ArkAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArkAnswers() {}

  /**
   * One call's image.
   *
   * @param image the file as drawn (JPEG)
   * @param usage Seedream's output tokens (w·h/256); it counts no input tokens
   * @param images {@code usage.generated_images}, the images Ark bills
   */
  record Drawn(byte[] image, Usage usage, int images) {}

  static Drawn parse(byte[] body, List<String> secrets) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw invalid("its body is not JSON");
    }
    if (root == null || !root.isObject()) throw invalid("its body is not a JSON object");
    if (root.path("error").isObject()) throw fromError(500, root.get("error"), secrets);
    JsonNode data = root.path("data");
    if (!data.isArray() || data.isEmpty()) throw invalid("it holds no 'data'");
    JsonNode first = data.get(0);
    if (first.path("error").isObject()) throw imageFailed(first.get("error"), secrets);
    if (!first.hasNonNull("b64_json")) throw invalid("its image has no 'b64_json'");
    byte[] image;
    try {
      image = Base64.getMimeDecoder().decode(first.get("b64_json").asText());
      ImageProbe.inspect(image, "data[0]");
    } catch (IllegalArgumentException | ApiException e) {
      throw invalid("its image is not a base64 PNG, JPEG or WebP file");
    }
    JsonNode usage = root.path("usage");
    return new Drawn(image, new Usage(0, 0, usage.path("output_tokens").asLong(0)),
        usage.path("generated_images").asInt(1));
  }

  /** The exception for an error status: refused, credentials, or worth a retry (408, 429, 5xx). */
  static UpstreamException error(int status, HttpHeaders headers, byte[] body, List<String> secrets) {
    JsonNode error = null;
    try {
      JsonNode root = JSON.readTree(body);
      if (root != null) error = root.get("error");
    } catch (IOException notJson) {
      // keep null: the status speaks for itself
    }
    UpstreamException e = fromError(status, error, secrets);
    Duration hint = headers.firstValue("retry-after").filter(v -> v.trim().matches("\\d+"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v.trim()))).orElse(null);
    if (hint == null) return e;
    return new UpstreamException(e.kind(), e.status(), e.type(), e.code(), e.param(), e.getMessage(), hint, null);
  }

  private static UpstreamException fromError(int status, JsonNode error, List<String> secrets) {
    String code = error == null ? null : error.path("code").asText(null);
    String message = error != null && error.hasNonNull("message") ? error.get("message").asText()
        : "the upstream answered HTTP " + status;
    if (moderated(code)) return blocked(code, message, secrets);
    UpstreamException.Kind kind = switch (status) {
      // 404: a model or endpoint this key cannot reach (UnsupportedModel, ModelNotOpen), which another may
      case 401, 403, 404 -> UpstreamException.Kind.CREDENTIALS;
      case 408, 429 -> UpstreamException.Kind.RETRYABLE;
      default -> status >= 500 ? UpstreamException.Kind.RETRYABLE : UpstreamException.Kind.REFUSED;
    };
    String type = kind == UpstreamException.Kind.REFUSED ? "invalid_request_error" : "upstream_error";
    return new UpstreamException(kind, status, type, code, null, scrub(message, secrets), null, null);
  }

  private static UpstreamException imageFailed(JsonNode error, List<String> secrets) {
    String code = error.path("code").asText(null);
    String message = error.path("message").asText("no message");
    if (moderated(code)) return blocked(code, message, secrets);
    return UpstreamException.retryable("the upstream could not draw the image (" + code + ": "
        + scrub(message, secrets) + ")");
  }

  private static boolean moderated(String code) { return code != null && code.contains("SensitiveContentDetected"); }

  private static UpstreamException blocked(String code, String message, List<String> secrets) {
    return new UpstreamException(UpstreamException.Kind.REFUSED, 400, "image_generation_user_error",
        "moderation_blocked", null, "Your request was rejected by the upstream's safety system (" + code + "): "
        + scrub(message, secrets), null, null);
  }


  private static UpstreamException invalid(String why) {
    return UpstreamException.retryable("the upstream's answer is not a valid images answer: " + why);
  }
}
