package io.imagegate.provider.bfl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageSize;
import io.imagegate.api.OutputFormat;
import io.imagegate.api.SizeRule;
import io.imagegate.provider.ImageJob;
import java.util.Base64;
import java.util.Map;

/**
 * Request mapping toward {@code /v1/{model}}: the prompt; the size as {@code aspect_ratio} for a model drawn
 * by ratio (Kontext) or as {@code width}/{@code height} (FLUX 1.1, FLUX.2), absent for {@code auto} (the
 * model's default); the input images as bare base64 in {@code input_image}, {@code input_image_2…};
 * {@code output_format} {@code jpeg} when JPEG is asked, else {@code png} (WebP is transcoded from it); and
 * BFL's own {@code seed}, {@code safety_tolerance} and {@code prompt_upsampling} as the client sent them.
 * The same body serves every task of a request.
 */
final class BflRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BflRequests() {}

  static byte[] body(ImageJob job, SizeRule sizes) {
    ImageOptions o = job.options();
    ObjectNode body = JSON.createObjectNode().put("prompt", o.prompt());
    ImageSize size = o.size();
    if (size != null && sizes instanceof SizeRule.AspectTiers ratios) {
      body.put("aspect_ratio", ratios.fit(size).ratio());
    } else if (size != null) {
      body.put("width", size.width()).put("height", size.height());
    }
    for (int i = 0; i < job.inputs().size(); i++) {
      String field = i == 0 ? "input_image" : "input_image_" + (i + 1);
      body.put(field, Base64.getEncoder().encodeToString(job.inputs().get(i).bytes()));
    }
    body.put("output_format", o.format() == OutputFormat.JPEG ? "jpeg" : "png");
    for (Map.Entry<String, JsonNode> e : o.sent().extra().entrySet()) body.set(e.getKey(), e.getValue());
    try {
      return JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a request body of plain nodes always serializes", e);
    }
  }
}
