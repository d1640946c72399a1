package io.imagegate.provider.gemini;

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
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answer and error mapping for {@code :generateContent}. The image is the first {@code inlineData} part
 * (camel or snake case) that is not a thought; an answer without one is a failure, never an empty answer:
 * a safety block ({@code promptFeedback.blockReason}, a {@code finishReason} such as {@code IMAGE_SAFETY})
 * is the client's 400 {@code moderation_blocked}, anything else worth a retry. Google's error object
 * ({@code {error: {code, message, status, details}}}) says whether to retry, with its {@code RetryInfo} delay.
 */
final class GeminiAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The reasons a prompt or a candidate was blocked for its content. */
  private static final Set<String> BLOCKED = Set.of("SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT",
      "IMAGE_PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION", "IMAGE_RECITATION");
  private static final Pattern SECONDS = Pattern.compile("(\\d+(?:\\.\\d+)?)s");
  private static final Pattern GOOGLE_KEY = Pattern.compile("AIza[0-9A-Za-z_\\-]{20,}");

  private GeminiAnswers() {}

  /**
   * One call's image.
   *
   * @param image the file as drawn (PNG as a rule)
   * @param usage the call's tokens: prompt text and image tokens in, image tokens out
   */
  record Drawn(byte[] image, Usage usage) {}

  static Drawn parse(byte[] body, List<String> secrets) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw invalid("its body is not JSON");
    }
    if (root == null || !root.isObject()) throw invalid("its body is not a JSON object");
    if (root.path("error").isObject()) {
      JsonNode error = root.get("error");
      throw fromError(error.path("code").asInt(500), error, secrets);
    }
    JsonNode feedback = root.path("promptFeedback");
    if (feedback.hasNonNull("blockReason")) {
      throw blocked("the prompt was blocked (" + feedback.get("blockReason").asText() + ")",
          feedback.path("blockReasonMessage").asText(null), secrets);
    }
    String finish = null, finishMessage = null, said = null;
    for (JsonNode candidate : root.path("candidates")) {
      if (finish == null && candidate.hasNonNull("finishReason")) {
        finish = candidate.get("finishReason").asText();
        finishMessage = candidate.path("finishMessage").asText(null);
      }
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (part.path("thought").asBoolean(false)) continue; // interim drafts of thinking models
        JsonNode inline = part.has("inlineData") ? part.get("inlineData") : part.path("inline_data");
        if (inline.hasNonNull("data")) return new Drawn(decode(inline.get("data").asText()), usage(root.path("usageMetadata")));
        if (said == null && part.hasNonNull("text")) said = part.get("text").asText();
      }
    }
    if (finish != null && BLOCKED.contains(finish.toUpperCase(Locale.ROOT))) {
      throw blocked("no image was drawn (finishReason " + finish + ")", finishMessage, secrets);
    }
    String why = finish == null ? "no candidate" : "finishReason " + finish;
    if (finishMessage != null) why += ": " + finishMessage;
    else if (said != null) why += "; it said: " + (said.length() > 200 ? said.substring(0, 200) + "…" : said);
    throw UpstreamException.retryable("the upstream answered without an image (" + scrub(why, secrets) + ")");
  }

  /** Prompt tokens split by modality into text and image; output: the image tokens of the candidates. */
  static Usage usage(JsonNode u) {
    long text = 0, image = 0, imageOut = 0;
    JsonNode prompt = u.path("promptTokensDetails");
    if (prompt.isArray() && !prompt.isEmpty()) {
      for (JsonNode d : prompt) {
        if ("IMAGE".equals(d.path("modality").asText())) image += d.path("tokenCount").asLong(0);
        else text += d.path("tokenCount").asLong(0);
      }
    } else {
      text = u.path("promptTokenCount").asLong(0);
    }
    JsonNode out = u.path("candidatesTokensDetails");
    if (out.isArray() && !out.isEmpty()) {
      for (JsonNode d : out) if ("IMAGE".equals(d.path("modality").asText())) imageOut += d.path("tokenCount").asLong(0);
    } else {
      imageOut = u.path("candidatesTokenCount").asLong(0);
    }
    return new Usage(text, image, imageOut);
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
    Duration hint = retryAfter(headers);
    if (hint == null || e.retryAfter() != null) return e;
    return new UpstreamException(e.kind(), e.status(), e.type(), e.code(), e.param(), e.getMessage(), hint, null);
  }

  private static UpstreamException fromError(int status, JsonNode error, List<String> secrets) {
    String state = error == null ? null : error.path("status").asText(null);
    String message = error != null && error.hasNonNull("message") ? error.get("message").asText()
        : "the upstream answered HTTP " + status;
    boolean badKey = false;
    Duration delay = null;
    if (error != null) {
      for (JsonNode d : error.path("details")) {
        if ("API_KEY_INVALID".equals(d.path("reason").asText())) badKey = true;
        Matcher m = SECONDS.matcher(d.path("retryDelay").asText(""));
        if (m.matches()) delay = Duration.ofMillis((long) (Double.parseDouble(m.group(1)) * 1000));
      }
    }
    UpstreamException.Kind kind = switch (status) {
      // 404: the deployment names a model this key cannot reach, which another deployment may
      case 401, 403, 404 -> UpstreamException.Kind.CREDENTIALS;
      case 408, 429 -> UpstreamException.Kind.RETRYABLE;
      default -> status >= 500 ? UpstreamException.Kind.RETRYABLE
          : badKey ? UpstreamException.Kind.CREDENTIALS : UpstreamException.Kind.REFUSED;
    };
    String code = state == null ? null : state.toLowerCase(Locale.ROOT);
    String type = kind == UpstreamException.Kind.REFUSED ? "invalid_request_error" : "upstream_error";
    return new UpstreamException(kind, status, type, code, null, scrub(message, secrets), delay, null);
  }

  private static Duration retryAfter(HttpHeaders headers) {
    return headers.firstValue("retry-after").filter(v -> v.trim().matches("\\d+"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v.trim()))).orElse(null);
  }

  private static UpstreamException blocked(String what, String message, List<String> secrets) {
    String text = "Your request was rejected by the upstream's safety system: " + what
        + (message == null || message.isBlank() ? "." : "; " + scrub(message, secrets));
    return new UpstreamException(UpstreamException.Kind.REFUSED, 400, "image_generation_user_error",
        "moderation_blocked", null, text, null, null);
  }

  private static byte[] decode(String base64) {
    byte[] image;
    try {
      image = Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw invalid("its image is not base64");
    }
    try {
      ImageProbe.inspect(image, "inlineData");
    } catch (ApiException | IllegalArgumentException e) {
      throw invalid("its image is not a PNG, JPEG or WebP file");
    }
    return image;
  }

  static String scrub(String text, List<String> secrets) {
    String out = io.imagegate.provider.Secrets.scrub(text, secrets);
    return out == null ? null : GOOGLE_KEY.matcher(out).replaceAll("AIza***");
  }

  private static UpstreamException invalid(String why) {
    return UpstreamException.retryable("the upstream's answer is not a valid generateContent answer: " + why);
  }
}
