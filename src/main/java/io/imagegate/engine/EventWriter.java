package io.imagegate.engine;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.imagegate.api.ApiException;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.EventStream;
import io.imagegate.provider.SseFrame;
import io.imagegate.usage.Usage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@code stream: true} answer as spec §6's server-sent events: for each image, up to
 * {@code partial_images} {@code *.partial_image} events (coarser renders, each sent the moment it exists), then
 * one {@code *.completed} event. The usage is split so that the completed events add up to the request's:
 * input tokens on the first, each image's own output tokens (its partials' included) on its own.
 */
final class EventWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private EventWriter() {}

  /** @param firstPartial told once, when the first partial image has been sent */
  static void write(OutputStream out, ImagePipeline.Answer answer, long created, Runnable firstPartial)
      throws IOException {
    boolean sentPartial = false;
    AnswerFacts facts = answer.facts();
    String prefix = answer.job().options().operation().eventPrefix();
    String type = prefix + ".completed";
    int partials = answer.job().options().partialImages();
    Usage total = answer.usage();
    int n = answer.batch().count();
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < partials; k++) {
        byte[] partial;
        try {
          partial = answer.batch().partial(i, k, partials);
        } catch (ApiException e) {
          writeError(out, e);
          return;
        }
        if (partial != null) {
          writePartial(out, prefix + ".partial_image", partial, k, facts, created);
          if (!sentPartial) firstPartial.run();
          sentPartial = true;
        }
      }
      long outTokens = total.imageOut() / n + (i == 0 ? total.imageOut() % n : 0);
      Usage share = i == 0 ? new Usage(total.textIn(), total.imageIn(), outTokens) : new Usage(0, 0, outTokens);
      out.write(("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
      JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.writeStartObject();
      json.writeStringField("type", type);
      json.writeFieldName("b64_json");
      try {
        AnswerWriter.writeBase64Value(json, out, answer, i);
      } catch (ApiException e) {
        json.close();
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
        writeError(out, e);
        return;
      }
      json.writeNumberField("created_at", created);
      json.writeStringField("size", facts.size());
      json.writeStringField("quality", facts.quality());
      json.writeStringField("background", facts.background());
      json.writeStringField("output_format", facts.outputFormat());
      AnswerWriter.writeUsage(json, share);
      json.writeEndObject();
      json.close();
      out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  private static void writePartial(OutputStream out, String type, byte[] image, int index, AnswerFacts facts,
      long created) throws IOException {
    out.write(("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.writeStartObject();
    json.writeStringField("type", type);
    byte[] base64 = java.util.Base64.getEncoder().encode(image);
    json.writeFieldName("b64_json");
    json.writeRawUTF8String(base64, 0, base64.length);
    json.writeNumberField("created_at", created);
    json.writeStringField("size", facts.size());
    json.writeStringField("quality", facts.quality());
    json.writeStringField("background", facts.background());
    json.writeStringField("output_format", facts.outputFormat());
    json.writeNumberField("partial_image_index", index);
    json.writeEndObject();
    json.close();
    out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /**
   * Relays an upstream's events as they arrive, each flushed at once; a frame with no data is a keep-alive,
   * written as an SSE comment. If the upstream breaks off mid-stream, an error frame says so and the stream
   * ends cleanly.
   */
  static void relay(OutputStream out, EventStream events, Runnable firstPartial) throws IOException {
    boolean sentPartial = false;
    while (true) {
      SseFrame frame;
      try {
        frame = events.next();
      } catch (IOException e) {
        writeError(out, new ApiException(502, "upstream_error", null, "upstream_error",
            "The upstream's stream broke off before it finished."));
        return;
      }
      if (frame == null) return;
      if (frame.data() == null) { // a keep-alive: an SSE comment, which clients skip; a gone client fails its write
        out.write(":\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        continue;
      }
      StringBuilder text = new StringBuilder();
      if (frame.event() != null) text.append("event: ").append(frame.event()).append('\n');
      for (String line : frame.data().split("\n", -1)) text.append("data: ").append(line).append('\n');
      out.write(text.append('\n').toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (!sentPartial && frame.event() != null && frame.event().endsWith(".partial_image")) {
        sentPartial = true;
        firstPartial.run();
      }
    }
  }

  /** An error after the stream began: a {@code data:} frame holding the error object, then the end. */
  static void writeError(OutputStream out, ApiException e) throws IOException {
    JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    out.write("event: error\ndata: ".getBytes(StandardCharsets.US_ASCII));
    json.writeStartObject();
    json.writeStringField("type", "error");
    json.writeObjectFieldStart("error");
    json.writeStringField("message", e.getMessage());
    json.writeStringField("type", e.type());
    json.writeStringField("param", e.param());
    json.writeStringField("code", e.code());
    json.writeEndObject();
    json.writeEndObject();
    json.close();
    out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
