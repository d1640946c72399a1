package io.imagegate.provider.bfl;

import static io.imagegate.provider.Secrets.scrub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.provider.UpstreamException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;

/**
 * Answer and error mapping for the BFL API. A submit answers {@code {id, polling_url, cost, …}}; a poll
 * answers {@code {id, status, result: {sample}}}, whose status is {@code Pending} (or another word for not
 * yet), {@code Ready}, a moderation ({@code Content Moderated}, {@code Request Moderated}: the client's 400
 * {@code moderation_blocked}) or a failure ({@code Error}, {@code Failed}, {@code Task not found}: an upstream
 * error not retried here, since each try is a new paid task). Error statuses: 401/402/403 are the
 * deployment's credentials or credits, 429 (too many active tasks) and 5xx are worth another try, other
 * 4xx (422 validation) are the client's.
 */
final class BflAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BflAnswers() {}

  /** A submitted task: where to poll it, and what BFL said it costs in credits (0 when it did not say). */
  record Submitted(String id, String pollingUrl, double credits) {}

  /** One poll: Ready with the URL of its image, or not yet ({@code sample} null). */
  record Polled(String status, String sample) {
    boolean ready() { return sample != null; }
  }

  static Submitted submitted(byte[] body) {
    JsonNode root = read(body);
    String url = root.path("polling_url").asText(null);
    if (url == null || url.isBlank()) throw invalid("its submit answer has no 'polling_url'");
    return new Submitted(root.path("id").asText(""), url, root.path("cost").asDouble(0));
  }

  static Polled polled(byte[] body, List<String> secrets) {
    JsonNode root = read(body);
    String status = root.path("status").asText("");
    switch (status) {
      case "Ready" -> {
        String sample = root.path("result").path("sample").asText(null);
        if (sample == null || sample.isBlank()) throw invalid("its Ready task has no 'result.sample'");
        return new Polled(status, sample);
      }
      case "Content Moderated", "Request Moderated" -> throw new UpstreamException(UpstreamException.Kind.REFUSED,
          400, "image_generation_user_error", "moderation_blocked", null,
          "Your request was rejected by the upstream's safety system (" + status + ")" + details(root, secrets) + ".",
          null, null);
      case "Error", "Failed", "Task not found" -> throw new UpstreamException(UpstreamException.Kind.RETRYABLE, 0,
          "upstream_error", null, null, "the upstream's task ended with status " + status + details(root, secrets),
          null, false);
      default -> {
        if (status.isEmpty()) throw invalid("its poll answer has no 'status'");
        return new Polled(status, null); // Pending, or a queue word of BFL's: poll again
      }
    }
  }

  /** The exception for an error status of a submit or a poll. */
  static UpstreamException error(int status, HttpHeaders headers, byte[] body, List<String> secrets) {
    String detail = null;
    try {
      JsonNode root = JSON.readTree(body);
      if (root != null && root.has("detail")) {
        JsonNode d = root.get("detail");
        detail = d.isTextual() ? d.asText() : d.toString();
      }
    } catch (IOException notJson) {
      // keep null: the status speaks for itself
    }
    String message = scrub(detail != null ? detail : "the upstream answered HTTP " + status, secrets);
    UpstreamException.Kind kind = switch (status) {
      case 401, 402, 403 -> UpstreamException.Kind.CREDENTIALS;
      case 408, 429 -> UpstreamException.Kind.RETRYABLE;
      default -> status >= 500 ? UpstreamException.Kind.RETRYABLE : UpstreamException.Kind.REFUSED;
    };
    String type = kind == UpstreamException.Kind.REFUSED ? "invalid_request_error" : "upstream_error";
    String code = kind == UpstreamException.Kind.REFUSED ? "invalid_value" : null;
    Duration hint = headers.firstValue("retry-after").filter(v -> v.trim().matches("\\d+"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v.trim()))).orElse(null);
    return new UpstreamException(kind, status, type, code, null, message, hint, null);
  }

  private static String details(JsonNode root, List<String> secrets) {
    JsonNode d = root.path("details");
    if (d.isMissingNode() || d.isNull()) return "";
    return ": " + scrub(d.isTextual() ? d.asText() : d.toString(), secrets);
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
    return UpstreamException.retryable("the upstream's answer is not a valid BFL answer: " + why);
  }
}
