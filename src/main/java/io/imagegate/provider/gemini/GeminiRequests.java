package io.imagegate.provider.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.SizeRule;
import io.imagegate.image.InputImage;
import io.imagegate.provider.ImageJob;

/**
 * Request mapping toward {@code :generateContent}: one user turn whose parts are the prompt's text, then each
 * input image inline as base64 with its MIME type; {@code responseModalities: [IMAGE]} and, unless the size
 * is {@code auto} (the model's default, following any reference image), {@code imageConfig} with the aspect
 * ratio and, for models with more than one tier, the {@code imageSize}. The same body serves every
 * single-image call of a request.
 */
final class GeminiRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GeminiRequests() {}

  /**
   * @param fit where the requested size lands, or null for {@code auto}
   * @param sendTier whether the model takes {@code imageSize} (gemini-2.5-flash-image draws 1K only)
   */
  static byte[] body(ImageJob job, SizeRule.AspectTiers.Fit fit, boolean sendTier) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode turn = root.putArray("contents").addObject().put("role", "user");
    ArrayNode parts = turn.putArray("parts");
    parts.addObject().put("text", job.options().prompt());
    for (InputImage image : job.inputs()) {
      parts.addObject().putObject("inlineData").put("mimeType", image.info().format().mimeType())
          .put("data", image.bytes()); // a binary node: written as standard base64
    }
    ObjectNode config = root.putObject("generationConfig");
    config.putArray("responseModalities").add("IMAGE");
    if (fit != null) {
      ObjectNode image = config.putObject("imageConfig").put("aspectRatio", fit.ratio());
      if (sendTier) image.put("imageSize", fit.tier());
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a request body of plain nodes always serializes", e);
    }
  }
}
