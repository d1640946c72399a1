package io.imagegate.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.provider.UpstreamException;
import io.imagegate.usage.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Answer and error mapping for OpenAI-shaped upstreams. Answers are read with a streaming parser, so each
 * image's base64 is decoded straight into its bytes; an upstream 200 whose body holds an {@code error}
 * object is an error; error statuses become {@link UpstreamException}s that say whether to retry.
 */
final class OpenAiAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiAnswers() {}

  /**
   * One image of an answer: where its base64 text lies in the answer's bytes (as the upstream sent it, to be
   * handed on without a copy), or the URL to download it from.
   */
  record Item(byte[] buffer, int offset, int length, String url) {
    byte[] base64() { return java.util.Arrays.copyOfRange(buffer, offset, offset + length); }
  }

  /** What an upstream answered; null facts and usage mean the upstream did not say. */
  record Parsed(List<Item> items, String size, String quality, String background, String outputFormat,
      Usage usage) {}

  /**
   * Reads a whole answer held in {@code body}. Each image's base64 stays where it is in {@code body}: it is
   * found and checked in one pass ({@link AnswerSkeleton}), and the parser reads only the JSON around it.
   */
  static Parsed parse(byte[] body, List<String> secrets) {
    AnswerSkeleton skeleton = AnswerSkeleton.of(body, ALPHABET);
    return parse(skeleton.json(), secrets, (p, items) -> readData(p, body, skeleton, items));
  }

  /**
   * Reads the JSON kept of an answer whose images were copied on as they arrived ({@link AnswerStream}):
   * each {@code b64_json} there must be the marker of the value copied at its place, in order.
   */
  static Parsed parseRelayed(byte[] skeleton, String marker, int copied, List<String> secrets) {
    Parsed parsed = parse(skeleton, secrets, (p, items) -> readRelayed(p, marker, items));
    if (parsed.items().size() != copied) {
      throw invalid(copied + " images were read but its 'data' lists " + parsed.items().size());
    }
    return parsed;
  }

  /** Reads the {@code data} array the parser stands on into {@code items}. */
  private interface DataReader {
    void read(JsonParser p, List<Item> items) throws IOException;
  }

  private static Parsed parse(byte[] json, List<String> secrets, DataReader data) {
    List<Item> items = new ArrayList<>();
    String size = null, quality = null, background = null, format = null;
    Usage usage = null;
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw invalid("its body is not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "error" -> {
            if (value == JsonToken.START_OBJECT) throw errorInBody(p.readValueAsTree(), secrets);
            p.skipChildren();
          }
          case "data" -> data.read(p, items);
          case "size" -> size = p.getValueAsString();
          case "quality" -> quality = p.getValueAsString();
          case "background" -> background = p.getValueAsString();
          case "output_format" -> format = p.getValueAsString();
          case "usage" -> usage = value == JsonToken.START_OBJECT ? usage(p.readValueAsTree()) : null;
          default -> p.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Jackson's getMessage() spans two lines and names parser internals ("at [Source: REDACTED
      // (`StreamReadFeature...` disabled) ..."), which ended up in the client's 502; say it in one line instead,
      // scrubbed, since the parser may quote what it read.
      throw invalid("it is not valid JSON (" + Redactor.scrub(e.getOriginalMessage(), secrets)
          .replaceAll("\\s+", " ").strip() + ")");
    } catch (IOException e) {
      throw UpstreamException.retryable("the upstream's answer could not be read: " + e.getMessage());
    }
    if (items.isEmpty()) throw invalid("it holds no images");
    return new Parsed(items, size, quality, background, format, usage);
  }

  private static void readRelayed(JsonParser p, String marker, List<Item> items) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) throw invalid("'data' is not an array");
    while (p.nextToken() == JsonToken.START_OBJECT) {
      boolean copied = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("b64_json") && value == JsonToken.VALUE_STRING) {
          if (!p.getText().equals(marker + items.size())) throw invalid("image " + items.size() + " is out of order");
          copied = true;
        } else {
          p.skipChildren();
        }
      }
      if (!copied) throw invalid("image " + items.size() + " has no 'b64_json' among images that do");
      items.add(new Item(null, 0, 0, null));
    }
  }

  private static void readData(JsonParser p, byte[] body, AnswerSkeleton skeleton, List<Item> items)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) throw invalid("'data' is not an array");
    while (p.nextToken() == JsonToken.START_OBJECT) {
      Item base64 = null;
      String url = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("b64_json") && value == JsonToken.VALUE_STRING) {
          AnswerSkeleton.Range cut = skeleton.range(p.getText());
          base64 = cut != null ? new Item(body, cut.offset(), cut.length(), null) : slice(p, skeleton.json());
        } else if (field.equals("url") && value == JsonToken.VALUE_STRING) {
          url = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (base64 == null && url == null) throw invalid("an image has neither 'b64_json' nor 'url'");
      // The slice is handed to clients as it is, never decoded here, so it must be checked: otherwise
      // "b64_json":"not base64!" went out as a 200 answer instead of being retried. A slice of the body was
      // checked as it was found; a copied (escaped) value is checked here.
      if (base64 != null && base64.buffer() != body && base64.buffer() != skeleton.json()
          && !isBase64(base64.buffer(), base64.offset(), base64.length())) {
        throw invalid("image " + items.size() + "'s 'b64_json' is not valid base64");
      }
      items.add(base64 != null ? base64 : new Item(null, 0, 0, url));
    }
  }

  /**
   * The bounds of the string value the parser stands on, found in the raw bytes: base64 holds no quote or
   * backslash, so the value ends at the next quote. Anything else there (an escape, a non-ASCII byte) is
   * decoded the slow way and checked.
   */
  private static Item slice(JsonParser p, byte[] body) throws IOException {
    long at = p.currentTokenLocation().getByteOffset();
    if (at >= 0 && at < body.length && body[(int) at] == '"') {
      // One table-driven pass over the alphabet, then the padding and the closing quote.
      int start = (int) at + 1;
      int end = start;
      while (end < body.length && ALPHABET[body[end] & 0xff]) end++;
      int data = end;
      while (end < body.length && body[end] == '=' && end - data < 2) end++;
      if (end < body.length && body[end] == '"' && end > start && (end - start) % 4 == 0) {
        return new Item(body, start, end - start, null);
      }
    }
    byte[] text = ascii(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    return new Item(text, 0, text.length, null);
  }

  /**
   * Whether {@code len} bytes from {@code off} are standard padded base64: the alphabet {@code A-Z a-z 0-9 + /},
   * a length that is a multiple of 4, and at most two {@code =} at the very end. A scan, no copy.
   */
  static boolean isBase64(byte[] b, int off, int len) {
    if (len == 0 || len % 4 != 0) return false;
    int end = off + len;
    int data = end;
    if (b[end - 1] == '=') data = b[end - 2] == '=' ? end - 2 : end - 1;
    for (int i = off; i < data; i++) {
      if (!ALPHABET[b[i] & 0xff]) return false;
    }
    return true;
  }

  /** The standard base64 alphabet, as a lookup table: one load per byte instead of five comparisons. */
  static final boolean[] ALPHABET = new boolean[256];

  static {
    for (char c = 'A'; c <= 'Z'; c++) ALPHABET[c] = true;
    for (char c = 'a'; c <= 'z'; c++) ALPHABET[c] = true;
    for (char c = '0'; c <= '9'; c++) ALPHABET[c] = true;
    ALPHABET['+'] = true;
    ALPHABET['/'] = true;
  }

  /** Base64 text that came with escapes, as ASCII bytes, whitespace dropped. */
  static byte[] ascii(char[] text, int offset, int length) throws IOException {
    byte[] out = new byte[length];
    int n = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      char c = text[i];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c > 127 || c == '"' || c == '\\') throw new IOException("'b64_json' is not base64");
      out[n++] = (byte) c;
    }
    return n == length ? out : java.util.Arrays.copyOf(out, n);
  }

  /** Spec §5's usage, or the simpler {@code input_tokens}/{@code output_tokens} when no details are given. */
  static Usage usage(JsonNode u) {
    long input = u.path("input_tokens").asLong(0);
    long output = u.path("output_tokens").asLong(0);
    JsonNode details = u.path("input_tokens_details");
    long text = details.has("text_tokens") ? details.path("text_tokens").asLong(0) : input;
    long image = details.path("image_tokens").asLong(0);
    long imageOut = u.path("output_tokens_details").has("image_tokens")
        ? u.path("output_tokens_details").path("image_tokens").asLong(0) : output;
    return new Usage(text, image, imageOut);
  }

  /** The exception for an error status: refused, credentials, or worth a retry (408, 409, 429, 5xx). */
  static UpstreamException error(int status, HttpHeaders headers, byte[] body, List<String> secrets) {
    JsonNode error = null;
    try {
      JsonNode root = JSON.readTree(body);
      if (root != null) error = root.get("error");
    } catch (IOException notJson) {
      // keep null: the status speaks for itself
    }
    String message = error != null && error.hasNonNull("message") ? error.get("message").asText()
        : "the upstream answered HTTP " + status;
    UpstreamException.Kind kind = switch (status) {
      case 401, 403 -> UpstreamException.Kind.CREDENTIALS;
      case 408, 409, 429 -> UpstreamException.Kind.RETRYABLE;
      default -> status >= 500 ? UpstreamException.Kind.RETRYABLE : UpstreamException.Kind.REFUSED;
    };
    return new UpstreamException(kind, status, text(error, "type"), text(error, "code"), text(error, "param"),
        Redactor.scrub(message, secrets), retryAfter(headers), shouldRetry(headers));
  }

  private static UpstreamException errorInBody(JsonNode error, List<String> secrets) {
    String message = error.hasNonNull("message") ? error.get("message").asText() : "unknown error";
    return new UpstreamException(UpstreamException.Kind.RETRYABLE, 0, text(error, "type"), text(error, "code"),
        text(error, "param"), "the upstream answered 200 holding an error: " + Redactor.scrub(message, secrets),
        null, null);
  }

  private static String text(JsonNode node, String field) {
    return node != null && node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  /** {@code retry-after-ms}, else {@code retry-after} in seconds or as an HTTP date; null when absent. */
  static Duration retryAfter(HttpHeaders headers) {
    try {
      var ms = headers.firstValue("retry-after-ms");
      if (ms.isPresent()) return Duration.ofMillis((long) Double.parseDouble(ms.get().trim()));
      var after = headers.firstValue("retry-after");
      if (after.isEmpty()) return null;
      String v = after.get().trim();
      if (v.matches("\\d+(\\.\\d+)?")) return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
      ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (RuntimeException unparsable) {
      return null;
    }
  }

  static Boolean shouldRetry(HttpHeaders headers) {
    return headers.firstValue("x-should-retry").map(v -> v.trim().equalsIgnoreCase("true")).orElse(null);
  }

  private static UpstreamException invalid(String why) {
    return UpstreamException.retryable("the upstream's answer is not a valid images answer: " + why);
  }
}
