package io.imagegate.web;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.engine.ImagePipeline;
import io.imagegate.usage.Usage;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes spec §5's answer as a stream: each image's bytes are base64-encoded straight into the socket as
 * they are produced, one image at a time, so no answer is ever built as one giant string.
 */
final class ImagesAnswerWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ImagesAnswerWriter() {}

  static void write(OutputStream out, ImagePipeline.Answer answer, long created) throws IOException {
    write(out, answer, created, (json, i) -> {
      json.writeFieldName("b64_json");
      writeBase64Value(json, out, answer, i);
    });
  }

  /** The answer with {@code url}s instead of base64: {@code urls.get(i)} is where image {@code i} was kept. */
  static void writeUrls(OutputStream out, ImagePipeline.Answer answer, long created, java.util.List<String> urls)
      throws IOException {
    write(out, answer, created, (json, i) -> json.writeStringField("url", urls.get(i)));
  }

  /** Writes the fields of one {@code data[i]} entry. */
  private interface ImageField {
    void write(JsonGenerator json, int index) throws IOException;
  }

  private static void write(OutputStream out, ImagePipeline.Answer answer, long created, ImageField image)
      throws IOException {
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)
        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
      json.writeStartObject();
      json.writeNumberField("created", created);
      json.writeArrayFieldStart("data");
      for (int i = 0; i < answer.batch().count(); i++) {
        json.writeStartObject();
        image.write(json, i);
        json.writeEndObject();
        json.flush(); // each image leaves as soon as it is written
      }
      json.writeEndArray();
      writeFacts(json, answer.facts());
      writeUsage(json, answer.usage());
      json.writeEndObject();
    }
  }

  private static void writeFacts(JsonGenerator json, AnswerFacts facts) throws IOException {
    json.writeStringField("background", facts.background());
    json.writeStringField("output_format", facts.outputFormat());
    json.writeStringField("quality", facts.quality());
    json.writeStringField("size", facts.size());
  }

  /** A JSON string value of the image's base64, written straight into the socket (it needs no escaping). */
  static void writeBase64Value(JsonGenerator json, OutputStream out, ImagePipeline.Answer answer, int index)
      throws IOException {
    json.writeRawValue("\"");
    json.flush();
    answer.batch().writeBase64(index, out);
    out.write('"');
  }

  static void writeUsage(JsonGenerator json, Usage u) throws IOException {
    json.writeObjectFieldStart("usage");
    json.writeNumberField("input_tokens", u.inputTokens());
    json.writeNumberField("output_tokens", u.outputTokens());
    json.writeNumberField("total_tokens", u.totalTokens());
    json.writeObjectFieldStart("input_tokens_details");
    json.writeNumberField("text_tokens", u.textIn());
    json.writeNumberField("image_tokens", u.imageIn());
    json.writeEndObject();
    json.writeObjectFieldStart("output_tokens_details");
    json.writeNumberField("image_tokens", u.imageOut());
    json.writeNumberField("text_tokens", 0);
    json.writeEndObject();
    json.writeEndObject();
  }
}
