package io.imagegate.provider.automatic1111;

import static io.imagegate.provider.Secrets.scrub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.provider.UpstreamException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Answer and error mapping for the {@code /sdapi/v1} API. A drawing answers
 * {@code {"images": ["<base64>"…], "parameters": {…}, "info": "…"}}; when a batch of several images is drawn
 * with the WebUI's "return grid" option, the first entry is the grid of them all, dropped here. A
 * {@code /progress} answer carries the live preview in {@code current_image} (base64; null before the first).
 * Errors are {@code {"error", "detail", "body", "errors"}} with the exception's status: 401 is the deployment's
 * {@code api_auth}, 404 an API not enabled ({@code --api} missing): both go to the next deployment; 422
 * (validation) and other 4xx are the client's; 5xx (an out-of-memory among them) and 408/429 are retried
 * and then fallen back.
 */
final class Automatic1111Answers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Automatic1111Answers() {}

  /** The {@code n} images of a drawing answer, decoded from base64. */
  static List<byte[]> images(byte[] body, int n) {
    JsonNode images = read(body).path("images");
    if (!images.isArray() || images.isEmpty()) throw invalid("it has no 'images'");
    List<byte[]> out = new ArrayList<>();
    int skip = images.size() == n + 1 && n > 1 ? 1 : 0; // the grid comes first
    for (int i = skip; i < images.size() && out.size() < n; i++) {
      out.add(decode(images.get(i).asText(""), "images[" + i + "]"));
    }
    if (out.size() < n) throw invalid("it has " + out.size() + " images of the " + n + " asked for");
    return out;
  }

  /** The preview of a {@code /progress} answer, or null when it has none yet. */
  static byte[] preview(byte[] body) {
    JsonNode current = read(body).path("current_image");
    if (!current.isTextual() || current.asText().isBlank()) return null;
    return decode(current.asText(), "current_image");
  }

  /** The exception for an error status. */
  static UpstreamException error(int status, HttpHeaders headers, byte[] body, List<String> secrets) {
    String detail = null;
    try {
      JsonNode root = JSON.readTree(body);
      if (root != null && root.isObject()) {
        String kind = text(root.get("error"));
        String why = text(root.get("errors"));
        if (why == null) why = text(root.get("detail"));
        detail = kind == null ? why : why == null ? kind : kind + ": " + why;
      }
    } catch (IOException notJson) {
      // keep null: the status speaks for itself
    }
    String message = scrub("the upstream answered HTTP " + status + (detail == null ? "" : " (" + detail + ")"), secrets);
    UpstreamException.Kind kind = switch (status) {
      case 401, 403, 404 -> UpstreamException.Kind.CREDENTIALS;
      case 408, 409, 429 -> UpstreamException.Kind.RETRYABLE;
      default -> status >= 500 ? UpstreamException.Kind.RETRYABLE : UpstreamException.Kind.REFUSED;
    };
    boolean refused = kind == UpstreamException.Kind.REFUSED;
    Duration hint = headers.firstValue("retry-after").filter(v -> v.trim().matches("\\d+"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v.trim()))).orElse(null);
    return new UpstreamException(kind, status, refused ? "invalid_request_error" : "upstream_error",
        refused ? "invalid_value" : null, null, message, hint, null);
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    String t = n.isTextual() ? n.asText() : n.toString();
    return t.isBlank() ? null : t.length() > 500 ? t.substring(0, 500) + "…" : t;
  }

  private static byte[] decode(String base64, String where) {
    String b = base64.startsWith("data:") ? base64.substring(base64.indexOf(',') + 1) : base64;
    try {
      return Base64.getMimeDecoder().decode(b);
    } catch (IllegalArgumentException e) {
      throw invalid(where + " is not base64");
    }
  }

  private static JsonNode read(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw invalid("its body is not JSON");
    }
    if (root == null || !root.isObject()) throw invalid("its body is not a JSON object");
    return root;
  }


  private static UpstreamException invalid(String why) {
    return UpstreamException.retryable("the upstream's answer is not a valid A1111 answer: " + why);
  }
}
