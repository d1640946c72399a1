package io.imagegate.engine;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.ImageRelay;
import java.nio.charset.StandardCharsets;
import io.imagegate.usage.Usage;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes spec §5's answer as a stream: each image's bytes are base64-encoded straight into the socket as
 * they are produced, one image at a time, so no answer is ever built as one giant string; a relayed upstream
 * answer's base64 is copied through as it arrives.
 */
final class AnswerWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private AnswerWriter() {}

  static void write(OutputStream out, ImagePipeline.Answer answer, long created) throws IOException {
    write(out, answer.batch().count(), answer.facts(), answer.usage(), created, (json, i) -> {
      json.writeFieldName("b64_json");
      writeBase64Value(json, out, answer, i);
    });
  }

  /** The answer with {@code url}s instead of base64: {@code urls.get(i)} is where image {@code i} was kept. */
  static void writeUrls(OutputStream out, ImagePipeline.Answer answer, long created, java.util.List<String> urls)
      throws IOException {
    writeUrls(out, urls, answer.facts(), answer.usage(), created);
  }

  /** The answer with {@code url}s: {@code urls.get(i)} is where image {@code i} was kept. */
  static void writeUrls(OutputStream out, java.util.List<String> urls, AnswerFacts facts, Usage usage, long created)
      throws IOException {
    write(out, urls.size(), facts, usage, created, (json, i) -> json.writeStringField("url", urls.get(i)));
  }

  /** Writes the fields of one {@code data[i]} entry. */
  private interface ImageField {
    void write(JsonGenerator json, int index) throws IOException;
  }

  private static void write(OutputStream out, int count, AnswerFacts facts, Usage usage, long created,
      ImageField image) throws IOException {
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)
        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
      json.writeStartObject();
      json.writeNumberField("created", created);
      json.writeArrayFieldStart("data");
      for (int i = 0; i < count; i++) {
        json.writeStartObject();
        image.write(json, i);
        json.writeEndObject();
        json.flush(); // each image leaves as soon as it is written
      }
      json.writeEndArray();
      writeFacts(json, facts);
      writeUsage(json, usage);
      json.writeEndObject();
    }
  }

  /**
   * Writes a relayed answer's opening and its images, each copied from the upstream as it arrives.
   *
   * @return how many images were written
   * @throws IOException from the relay: the upstream's body broke off or was not a valid answer (a failure of
   *     {@code out} must not surface here: give a stream that swallows it)
   */
  static int writeRelayed(OutputStream out, ImageRelay relay, long created) throws IOException {
    out.write(("{\"created\":" + created + ",\"data\":[").getBytes(StandardCharsets.US_ASCII));
    int images = 0;
    while (relay.next()) {
      out.write(images == 0 ? IMAGE_OPEN : NEXT_IMAGE_OPEN);
      relay.copy(out);
      out.write(IMAGE_CLOSE);
      images++;
    }
    return images;
  }

  /** The closing part of a relayed answer: what it echoes and its usage, once its charge is recorded. */
  static void writeRelayedEnd(OutputStream out, AnswerFacts facts, Usage usage) throws IOException {
    java.io.ByteArrayOutputStream tail = new java.io.ByteArrayOutputStream(512);
    try (JsonGenerator json = FACTORY.createGenerator(tail, JsonEncoding.UTF8)) {
      json.writeStartObject();
      writeFacts(json, facts);
      writeUsage(json, usage);
      json.writeEndObject();
    }
    byte[] object = tail.toByteArray(); // {"background":…}: its fields follow the data array
    out.write(']');
    out.write(',');
    out.write(object, 1, object.length - 1);
  }

  private static final byte[] IMAGE_OPEN = "{\"b64_json\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEXT_IMAGE_OPEN = ",{\"b64_json\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] IMAGE_CLOSE = "\"}".getBytes(StandardCharsets.US_ASCII);

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
