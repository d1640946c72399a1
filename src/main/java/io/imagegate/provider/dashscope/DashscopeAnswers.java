package io.imagegate.provider.dashscope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.provider.UpstreamException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Answer and error mapping for DashScope. A synchronous answer carries the image URL in
 * {@code output.choices[].message.content[].image}; an async submit answers {@code output.task_id}; a poll
 * answers {@code output.task_status} ({@code PENDING}, {@code RUNNING}: not yet; {@code SUCCEEDED} with
 * {@code output.results[].url}, where a result may instead hold {@code {code, message}}; {@code FAILED} with
 * {@code output.code}; {@code CANCELED}, {@code UNKNOWN}). Errors are {@code {request_id, code, message}}:
 * {@code DataInspectionFailed} and its kin (input or output moderation, suspected IP infringement) are the
 * client's 400 {@code moderation_blocked}; {@code InvalidApiKey}, {@code Arrearage} and HTTP 401/403 the
 * deployment's credentials or account; {@code Throttling…}, 429 and 5xx worth another try; other 4xx
 * ({@code InvalidParameter}) the client's.
 */
final class DashscopeAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DashscopeAnswers() {}

  /** One poll: the image URL once SUCCEEDED, else the status still waited on ({@code url} null). */
  record Polled(String status, String url) {
    boolean ready() { return url != null; }
  }

  /** The image URL of a synchronous answer. */
  static String image(byte[] body, List<String> secrets) {
    JsonNode root = read(body);
    throwIfModerated(root.path("code").asText(""), root.path("message").asText(""), secrets);
    for (JsonNode choice : root.path("output").path("choices")) {
      for (JsonNode part : choice.path("message").path("content")) {
        String url = part.path("image").asText("");
        if (!url.isBlank()) return url;
      }
    }
    throw invalid("its answer has no output.choices[].message.content[].image");
  }

  /** The id of a submitted task. */
  static String taskId(byte[] body) {
    String id = read(body).path("output").path("task_id").asText("");
    if (id.isBlank()) throw invalid("its submit answer has no output.task_id");
    return id;
  }

  static Polled polled(byte[] body, List<String> secrets) {
    JsonNode output = read(body).path("output");
    String status = output.path("task_status").asText("");
    switch (status) {
      case "SUCCEEDED" -> {
        String code = "", message = "";
        for (JsonNode result : output.path("results")) {
          String url = result.path("url").asText("");
          if (!url.isBlank()) return new Polled(status, url);
          if (code.isEmpty()) {
            code = result.path("code").asText("");
            message = result.path("message").asText("");
          }
        }
        throwIfModerated(code, message, secrets);
        throw invalid("its SUCCEEDED task has no output.results[].url");
      }
      case "FAILED", "CANCELED", "UNKNOWN" -> {
        String code = output.path("code").asText("");
        throwIfModerated(code, output.path("message").asText(""), secrets);
        throw new UpstreamException(UpstreamException.Kind.RETRYABLE, 0, "upstream_error", null, null,
            "the upstream's task ended with status " + status + (code.isEmpty() ? "" : " (" + code + ")"), null, false);
      }
      default -> {
        if (status.isEmpty()) throw invalid("its poll answer has no output.task_status");
        return new Polled(status, null); // PENDING, RUNNING: poll again
      }
    }
  }

  /** The exception for an error status of any DashScope call. */
  static UpstreamException error(int status, HttpHeaders headers, byte[] body, List<String> secrets) {
    String code = "", message = "";
    try {
      JsonNode root = JSON.readTree(body);
      if (root != null && root.isObject()) {
        code = root.path("code").asText("");
        message = root.path("message").asText("");
      }
    } catch (IOException notJson) {
      // the status speaks for itself
    }
    if (moderation(code)) return moderated(code, message, secrets);
    String shown = scrub(message.isBlank() ? "the upstream answered HTTP " + status
        : (code.isEmpty() ? "" : code + ": ") + message, secrets);
    UpstreamException.Kind kind;
    if (status == 401 || status == 403 || code.equals("InvalidApiKey") || code.equals("Arrearage")
        || code.equals("AccessDenied")) {
      kind = UpstreamException.Kind.CREDENTIALS;
    } else if (status == 408 || status == 429 || status >= 500 || code.startsWith("Throttling")) {
      kind = UpstreamException.Kind.RETRYABLE;
    } else {
      kind = UpstreamException.Kind.REFUSED;
    }
    String type = kind == UpstreamException.Kind.REFUSED ? "invalid_request_error" : "upstream_error";
    String ours = kind == UpstreamException.Kind.REFUSED ? "invalid_value" : null;
    Duration hint = headers.firstValue("retry-after").filter(v -> v.trim().matches("\\d+"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v.trim()))).orElse(null);
    return new UpstreamException(kind, status, type, ours, null, shown, hint, null);
  }

  /** Whether a DashScope code is its moderation's: DataInspectionFailed, IPInfringementSuspect and kin. */
  static boolean moderation(String code) {
    String c = code.toLowerCase(Locale.ROOT);
    return c.startsWith("datainspection") || c.contains("inappropriate") || c.equals("ipinfringementsuspect");
  }

  private static void throwIfModerated(String code, String message, List<String> secrets) {
    if (moderation(code)) throw moderated(code, message, secrets);
  }

  private static UpstreamException moderated(String code, String message, List<String> secrets) {
    return new UpstreamException(UpstreamException.Kind.REFUSED, 400, "image_generation_user_error",
        "moderation_blocked", null, "Your request was rejected by the upstream's safety system (" + code + ")"
        + (message.isBlank() ? "" : ": " + scrub(message, secrets)) + ".", null, null);
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

  private static String scrub(String text, List<String> secrets) {
    String out = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) out = out.replace(secret, "***");
    }
    return out;
  }

  private static UpstreamException invalid(String why) {
    return UpstreamException.retryable("the upstream's answer is not a valid DashScope answer: " + why);
  }
}
