package io.imagegate.provider.ark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.image.InputImage;
import io.imagegate.provider.ImageJob;
import java.util.Base64;

/**
 * Request mapping toward {@code /images/generations}: the model, the prompt, the size as {@code WxH}
 * (absent for {@code auto}: the model's default), the input images as {@code data:} URIs in {@code image}
 * (a string for one, an array for more), {@code response_format: b64_json} so that nothing needs
 * downloading, and {@code watermark} false unless the client asked for the mark. One image per call: group
 * mode ({@code sequential_image_generation}) is never asked for. The same body serves every call of a request.
 */
final class ArkRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArkRequests() {}

  static byte[] body(ImageJob job, String model, boolean watermark) {
    ObjectNode body = JSON.createObjectNode().put("model", model).put("prompt", job.options().prompt());
    if (job.options().size() != null) body.put("size", job.options().size().toString());
    if (job.inputs().size() == 1) {
      body.put("image", dataUri(job.inputs().get(0)));
    } else if (!job.inputs().isEmpty()) {
      var images = body.putArray("image");
      for (InputImage image : job.inputs()) images.add(dataUri(image));
    }
    body.put("response_format", "b64_json").put("watermark", watermark);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a request body of plain nodes always serializes", e);
    }
  }

  /** {@code data:image/<fmt>;base64,…}, the format in lowercase as Ark wants it. */
  private static String dataUri(InputImage image) {
    return "data:" + image.info().format().mimeType() + ";base64," + Base64.getEncoder().encodeToString(image.bytes());
  }
}
