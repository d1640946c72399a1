package io.imagegate.provider.dashscope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ImageOptions;
import io.imagegate.image.InputImage;
import io.imagegate.provider.ImageJob;
import java.util.Base64;

/**
 * Request mapping toward DashScope. Synchronous: {@code {model, input: {messages: [{role: user, content:
 * [{image}…, {text}]}]}, parameters}}, each input image a data URI before the one text part. Async:
 * {@code {model, input: {prompt[, negative_prompt]}, parameters}}. Parameters: {@code size} as {@code W*H}
 * (absent for {@code auto}: the model's default), {@code n} 1 (a request's {@code n} is fanned out),
 * {@code watermark} false unless the client asks, and {@code negative_prompt}, {@code prompt_extend},
 * {@code seed} as the client sent them (DashScope's own defaults otherwise: no negative prompt, prompt
 * rewriting on).
 */
final class DashscopeRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DashscopeRequests() {}

  static byte[] sync(ImageJob job, String model) {
    ImageOptions o = job.options();
    ObjectNode body = JSON.createObjectNode().put("model", model);
    ObjectNode message = body.putObject("input").putArray("messages").addObject().put("role", "user");
    ArrayNode content = message.putArray("content");
    for (InputImage image : job.inputs()) content.addObject().put("image", dataUri(image));
    content.addObject().put("text", o.prompt());
    ObjectNode parameters = parameters(body, o);
    copy(o, "negative_prompt", parameters);
    return write(body);
  }

  static byte[] async(ImageJob job, String model) {
    ImageOptions o = job.options();
    ObjectNode body = JSON.createObjectNode().put("model", model);
    ObjectNode input = body.putObject("input").put("prompt", o.prompt());
    copy(o, "negative_prompt", input);
    parameters(body, o);
    return write(body);
  }

  private static ObjectNode parameters(ObjectNode body, ImageOptions o) {
    ObjectNode parameters = body.putObject("parameters");
    if (o.size() != null) parameters.put("size", o.size().width() + "*" + o.size().height());
    parameters.put("n", 1);
    JsonNode mark = o.sent().extra().get("watermark");
    parameters.put("watermark", mark != null && mark.asBoolean());
    copy(o, "prompt_extend", parameters);
    copy(o, "seed", parameters);
    return parameters;
  }

  private static void copy(ImageOptions o, String field, ObjectNode into) {
    JsonNode value = o.sent().extra().get(field);
    if (value != null) into.set(field, value);
  }

  private static String dataUri(InputImage image) {
    return "data:" + image.info().format().mimeType() + ";base64," + Base64.getEncoder().encodeToString(image.bytes());
  }

  private static byte[] write(ObjectNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a request body of plain nodes always serializes", e);
    }
  }
}
