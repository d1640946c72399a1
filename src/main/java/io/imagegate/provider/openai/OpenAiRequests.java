package io.imagegate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.SentFields;
import io.imagegate.image.InputImage;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.MultipartBody;
import io.imagegate.trace.TraceHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Request mapping toward OpenAI-shaped upstreams (spec §3, §9): text-to-image as JSON to
 * {@code /images/generations}; anything with input images as multipart to {@code /images/edits}, every
 * image an {@code image[]} file part and the mask a {@code mask} part. The fields the client sent pass on as
 * validated ({@link SentFields}), unknown ones included; only {@code model} is replaced by the deployment's
 * upstream name and {@code response_format} is kept back (the gateway answers it itself). A traced attempt
 * sends its {@code traceparent}.
 */
final class OpenAiRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiRequests() {}

  static HttpRequest build(ImageJob job, String upstreamModel, Endpoints endpoints, boolean stream,
      Duration timeout) {
    Map<String, Object> fields = fields(job, upstreamModel, endpoints.sendsModel(), stream);
    HttpRequest.Builder request;
    if (job.inputs().isEmpty()) {
      ObjectNode body = JSON.createObjectNode();
      fields.forEach((name, value) -> body.set(name, JSON.valueToTree(value)));
      request = HttpRequest.newBuilder(endpoints.generations())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      MultipartBody body = new MultipartBody();
      fields.forEach((name, value) -> body.text(name, text(value)));
      for (int i = 0; i < job.inputs().size(); i++) {
        InputImage image = job.inputs().get(i);
        body.file("image[]", "image-" + i + "." + extension(image), image.info().format().mimeType(), image.bytes());
      }
      if (job.mask() != null) {
        body.file("mask", "mask." + extension(job.mask()), job.mask().info().format().mimeType(), job.mask().bytes());
      }
      request = HttpRequest.newBuilder(endpoints.edits())
          .header("Content-Type", body.contentType())
          .POST(io.imagegate.http.Http1Client.arrays(body.parts()));
    }
    request.timeout(timeout).header("Accept", stream ? "text/event-stream" : "application/json");
    endpoints.authorize(request);
    TraceHeaders.inject(request::header); // the attempt's traceparent, when traced
    return request.build();
  }

  /**
   * The fields the client sent, in a stable order, as validated: the model swapped for the upstream's name,
   * the size in its one canonical form ({@code WxH} or {@code auto}), unknown fields passed through.
   */
  static Map<String, Object> fields(ImageJob job, String upstreamModel, boolean sendModel, boolean stream) {
    SentFields r = job.options().sent();
    Map<String, Object> f = new LinkedHashMap<>();
    if (sendModel) f.put("model", upstreamModel);
    put(f, "prompt", job.options().prompt());
    put(f, "n", r.n());
    put(f, "size", r.size());
    put(f, "quality", r.quality());
    put(f, "background", r.background());
    put(f, "output_format", r.outputFormat());
    put(f, "output_compression", r.outputCompression());
    put(f, "moderation", r.moderation());
    if (stream) {
      f.put("stream", true);
      put(f, "partial_images", r.partialImages());
    }
    put(f, "input_fidelity", r.inputFidelity());
    put(f, "style", r.style());
    put(f, "user", r.user());
    r.extra().forEach(f::putIfAbsent);
    return f;
  }

  private static void put(Map<String, Object> f, String name, Object value) {
    if (value != null) f.put(name, value);
  }

  private static String text(Object value) {
    if (value instanceof JsonNode node) return node.isTextual() ? node.textValue() : node.toString();
    return String.valueOf(value);
  }

  private static String extension(InputImage image) {
    return switch (image.info().format()) {
      case PNG -> "png";
      case JPEG -> "jpg";
      case WEBP -> "webp";
    };
  }

}
