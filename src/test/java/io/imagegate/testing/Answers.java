package io.imagegate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/** Checks and readers for the gateway's answers in tests over real HTTP. */
public final class Answers {
  private Answers() {}

  /** A 200 with a JSON body; the body is shown when it is not. */
  public static void assertOk(Http.Answer answer) {
    assertThat(answer.status()).as(text(answer)).isEqualTo(200);
    assertThat(answer.header("content-type")).startsWith("application/json");
  }

  /** A 200 holding an event stream; returns the stream as text. */
  public static String assertEventStream(Http.Answer answer) {
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("content-type")).startsWith("text/event-stream");
    return text(answer);
  }

  /** An error answer with this status, type and code; returns its message. */
  public static String assertError(Http.Answer answer, int status, String type, String code) {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.error().get("type").asText()).isEqualTo(type);
    assertThat(answer.error().get("code").asText()).isEqualTo(code);
    return answer.error().get("message").asText();
  }

  /** The body as UTF-8 text. */
  public static String text(Http.Answer answer) {
    return new String(answer.raw().body(), StandardCharsets.UTF_8);
  }

  /** The decoded {@code b64_json} of item {@code index} of an images answer. */
  public static byte[] b64(JsonNode answer, int index) {
    return Base64.getDecoder().decode(answer.get("data").get(index).get("b64_json").asText());
  }

  /** The field names of an object, in order. */
  public static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new LinkedHashSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
    return names;
  }

  /** The data of the one event of an event stream, which must be of this type. */
  public static JsonNode onlyEvent(Http.Answer answer, String type) {
    String[] frames = text(answer).strip().split("\n\n");
    assertThat(frames).hasSize(1);
    assertThat(frames[0]).startsWith("event: " + type + "\ndata: ");
    JsonNode event = Http.json(frames[0].substring(frames[0].indexOf("data: ") + 6));
    assertThat(event.get("type").asText()).isEqualTo(type);
    return event;
  }
}
