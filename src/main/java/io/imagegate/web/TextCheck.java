package io.imagegate.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.api.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Every string a request carries is valid Unicode: strict UTF-8 for form fields, no lone surrogate in JSON. */
final class TextCheck {
  /** Fields whose values are image references: base64 and URLs are ASCII, and are checked as such later. */
  private static final Set<String> IMAGE_FIELDS = Set.of("image", "images", "mask");

  private TextCheck() {}

  /**
   * A multipart text field decoded as strict UTF-8.
   *
   * @throws ApiException 400 {@code invalid_value} on the field when its bytes are not UTF-8
   */
  static String utf8(byte[] bytes, String field) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ApiException.invalidValue(field, "The field '" + field + "' is not valid UTF-8; send its text encoded"
          + " as UTF-8.");
    }
  }

  /**
   * Refuses a JSON string or member name holding an unpaired surrogate (a {@code \\ud800} escape alone), which
   * JSON's grammar allows but which is no Unicode text.
   *
   * @throws ApiException 400 {@code invalid_value} on the top-level field that holds it
   */
  static void json(JsonNode body) {
    if (!body.isObject()) return; // the reader refuses anything but an object, naming it
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (hasLoneSurrogate(field.getKey())) throw loneSurrogate(null, "A member name");
      if (!IMAGE_FIELDS.contains(field.getKey()) && !valid(field.getValue())) {
        throw loneSurrogate(field.getKey(), "The field '" + field.getKey() + "'");
      }
    }
  }

  private static boolean valid(JsonNode node) {
    if (node.isTextual()) return !hasLoneSurrogate(node.textValue());
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (hasLoneSurrogate(e.getKey()) || !valid(e.getValue())) return false;
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) if (!valid(item)) return false;
    }
    return true;
  }

  static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static ApiException loneSurrogate(String param, String what) {
    return ApiException.invalidValue(param, what + " holds an unpaired UTF-16 surrogate (a \\ud800-\\udfff escape"
        + " without its pair); send valid Unicode text.");
  }
}
