package io.imagegate.provider.gemini;

import io.imagegate.testing.UpstreamReplies;
import java.util.Base64;
import okhttp3.mockwebserver.MockResponse;

/** Canned answers of the Gemini API's {@code :generateContent}, in its own wire shape. */
final class GeminiReplies {
  private GeminiReplies() {}

  /**
   * One candidate with a text part, a thought draft (to be skipped) and the image, and usage split by
   * modality: 13 text and 258 image tokens in, 1290 image tokens out, 40 thought tokens.
   */
  static MockResponse image(byte[] png) {
    String b64 = Base64.getEncoder().encodeToString(png);
    String draft = Base64.getEncoder().encodeToString(io.imagegate.testing.TestImages.png(4, 4));
    return UpstreamReplies.json(200, """
        {"candidates":[{"content":{"role":"model","parts":[
          {"text":"Here is the picture you asked for."},
          {"inlineData":{"mimeType":"image/png","data":"%s"},"thought":true},
          {"inlineData":{"mimeType":"image/png","data":"%s"}}]},
          "finishReason":"STOP","index":0}],
         "usageMetadata":{"promptTokenCount":271,"candidatesTokenCount":1300,"totalTokenCount":1611,
          "thoughtsTokenCount":40,
          "promptTokensDetails":[{"modality":"TEXT","tokenCount":13},{"modality":"IMAGE","tokenCount":258}],
          "candidatesTokensDetails":[{"modality":"TEXT","tokenCount":10},{"modality":"IMAGE","tokenCount":1290}]},
         "modelVersion":"gemini-2.5-flash-image","responseId":"resp-1"}""".formatted(draft, b64));
  }

  /** A 200 whose candidate was stopped by the image safety filter: no content at all. */
  static MockResponse imageSafety() {
    return UpstreamReplies.json(200, """
        {"candidates":[{"finishReason":"IMAGE_SAFETY","finishMessage":"The image was blocked by safety filters.",
          "index":0}],"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9}}""");
  }

  /** A 200 whose prompt was blocked before any candidate. */
  static MockResponse promptBlocked() {
    return UpstreamReplies.json(200, """
        {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":9}}""");
  }

  /** A 200 where the model only talked. */
  static MockResponse textOnly() {
    return UpstreamReplies.json(200, """
        {"candidates":[{"content":{"role":"model","parts":[{"text":"I cannot draw that today."}]},
          "finishReason":"STOP"}]}""");
  }

  /** Google's error object, with a RetryInfo delay when {@code retryDelay} is not null. */
  static MockResponse error(int status, String state, String message, String retryDelay) {
    String details = retryDelay == null ? "" : """
        ,"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"%s"}]""".formatted(retryDelay);
    return UpstreamReplies.json(status, """
        {"error":{"code":%d,"message":"%s","status":"%s"%s}}""".formatted(status, message, state, details));
  }
}
