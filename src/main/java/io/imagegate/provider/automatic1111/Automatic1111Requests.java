package io.imagegate.provider.automatic1111;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageSize;
import io.imagegate.provider.ImageJob;
import java.util.Base64;
import java.util.Map;

/**
 * The body of one {@code txt2img} or {@code img2img} call: {@code prompt}, {@code width}/{@code height},
 * {@code batch_size} × {@code n_iter} = n, {@code steps} from the quality table, then the client's passthrough
 * fields as sent (a passed {@code steps} wins over the table). The deployment's {@code model:}, when it
 * names one, is the checkpoint: {@code override_settings: {sd_model_checkpoint}} (a client's own
 * {@code override_settings}, when passed through, are merged over it). An edit adds {@code init_images} (the first
 * input image, bare base64) and, with a mask, {@code mask} in A1111's convention ({@link MaskConversion})
 * with {@code inpainting_mask_invert: 0} (repaint the white area).
 */
final class Automatic1111Requests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Automatic1111Requests() {}

  /** @param checkpoint the deployment's {@code model:}, sent as {@code override_settings.sd_model_checkpoint}; or null */
  static byte[] body(ImageJob job, ImageSize size, Automatic1111Settings.Batches batches, int steps, String checkpoint) {
    ImageOptions o = job.options();
    ObjectNode body = JSON.createObjectNode().put("prompt", o.prompt())
        .put("width", size.width()).put("height", size.height())
        .put("batch_size", batches.batchSize()).put("n_iter", batches.iterations()).put("steps", steps);
    if (!job.inputs().isEmpty()) {
      var image = job.inputs().get(0);
      body.putArray("init_images").add(Base64.getEncoder().encodeToString(image.bytes()));
      if (job.mask() != null) {
        byte[] mask = MaskConversion.toA1111(job.mask(), image.info().width(), image.info().height());
        body.put("mask", Base64.getEncoder().encodeToString(mask)).put("inpainting_mask_invert", 0);
      }
    }
    if (checkpoint != null) body.putObject("override_settings").put("sd_model_checkpoint", checkpoint);
    for (Map.Entry<String, JsonNode> e : o.sent().extra().entrySet()) {
      if (e.getKey().equals("override_settings") && checkpoint != null) {
        ((ObjectNode) body.get("override_settings")).setAll((ObjectNode) e.getValue()); // the client's win
      } else {
        body.set(e.getKey(), e.getValue());
      }
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a request body of plain nodes always serializes", e);
    }
  }
}
