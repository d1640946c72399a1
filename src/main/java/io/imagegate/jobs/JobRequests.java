package io.imagegate.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ImageRef;
import io.imagegate.api.ImageRequest;
import io.imagegate.api.Operation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's request as a document, field for field the {@link ImageRequest} that was checked at submit, so that
 * the worker that runs it (on any instance, after any restart) runs exactly that request. Image bytes from a
 * multipart part are kept as base64; references (URLs, data URLs) as given, fetched again when the job runs.
 */
final class JobRequests {
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build());

  private JobRequests() {}

  static byte[] write(ImageRequest r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("operation", r.operation().name());
    o.put("model", r.model());
    o.put("prompt", r.prompt());
    o.put("n", r.n());
    o.put("size", r.size());
    o.put("quality", r.quality());
    o.put("background", r.background());
    o.put("output_format", r.outputFormat());
    o.put("output_compression", r.outputCompression());
    o.put("moderation", r.moderation());
    o.put("stream", r.stream());
    o.put("partial_images", r.partialImages());
    o.put("input_fidelity", r.inputFidelity());
    o.put("response_format", r.responseFormat());
    o.put("style", r.style());
    o.put("user", r.user());
    ArrayNode images = o.putArray("images");
    for (ImageRef ref : r.images()) images.add(ref(ref));
    if (r.mask() != null) o.set("mask", ref(r.mask()));
    ObjectNode extra = o.putObject("extra");
    r.extra().forEach(extra::set);
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a job's request", e);
    }
  }

  static ImageRequest read(byte[] document) throws IOException {
    JsonNode o = JSON.readTree(document);
    List<ImageRef> images = new ArrayList<>();
    for (JsonNode ref : o.get("images")) images.add(ref(ref));
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    o.get("extra").properties().forEach(e -> extra.put(e.getKey(), e.getValue()));
    return new ImageRequest(Operation.valueOf(o.get("operation").asText()), text(o, "model"), text(o, "prompt"),
        number(o, "n"), text(o, "size"), text(o, "quality"), text(o, "background"), text(o, "output_format"),
        number(o, "output_compression"), text(o, "moderation"), o.get("stream").isNull() ? null
            : o.get("stream").asBoolean(), number(o, "partial_images"), text(o, "input_fidelity"),
        text(o, "response_format"), text(o, "style"), text(o, "user"), List.copyOf(images),
        o.hasNonNull("mask") ? ref(o.get("mask")) : null, java.util.Collections.unmodifiableMap(extra));
  }

  private static ObjectNode ref(ImageRef ref) {
    ObjectNode n = JSON.createObjectNode();
    n.put("param", ref.param());
    if (ref.bytes() != null) n.put("bytes", ref.bytes());
    else n.put("reference", ref.reference());
    return n;
  }

  private static ImageRef ref(JsonNode n) throws IOException {
    String param = n.get("param").asText();
    return n.hasNonNull("bytes") ? ImageRef.ofBytes(n.get("bytes").binaryValue(), param)
        : ImageRef.ofReference(n.get("reference").asText(), param);
  }

  private static String text(JsonNode o, String field) { return o.get(field).isNull() ? null : o.get(field).asText(); }

  private static Integer number(JsonNode o, String field) { return o.get(field).isNull() ? null : o.get(field).asInt(); }
}
