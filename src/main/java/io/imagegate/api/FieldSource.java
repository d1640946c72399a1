package io.imagegate.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Typed access to the scalar fields of a request body, whichever wire form it came in. A wrong type is a
 * 400 {@code invalid_value} naming the field and the type expected; absent and null both read as null.
 */
sealed interface FieldSource {

  String string(String name);

  Integer integer(String name);

  Boolean bool(String name);

  private static ApiException wrongType(String name, String expected, String got) {
    return ApiException.invalidValue(name, "Invalid type for '" + name + "': expected " + expected
        + ", but got " + got + " instead.");
  }

  /** Fields of a JSON object. */
  record Json(JsonNode body) implements FieldSource {
    @Override
    public String string(String name) {
      JsonNode v = body.get(name);
      if (v == null || v.isNull()) return null;
      if (!v.isTextual()) throw wrongType(name, "a string", describe(v));
      return v.textValue();
    }

    @Override
    public Integer integer(String name) {
      JsonNode v = body.get(name);
      if (v == null || v.isNull()) return null;
      if (v.isIntegralNumber() && v.canConvertToInt()) return v.intValue();
      if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
          && Math.abs(v.doubleValue()) < Integer.MAX_VALUE) {
        return (int) v.doubleValue();
      }
      throw wrongType(name, "an integer", describe(v));
    }

    @Override
    public Boolean bool(String name) {
      JsonNode v = body.get(name);
      if (v == null || v.isNull()) return null;
      if (!v.isBoolean()) throw wrongType(name, "a boolean", describe(v));
      return v.booleanValue();
    }

    static String describe(JsonNode v) {
      if (v.isTextual()) return "a string";
      if (v.isIntegralNumber()) return v.canConvertToInt() ? "an integer" : "a number too large";
      if (v.isNumber()) return "a decimal number";
      if (v.isBoolean()) return "a boolean";
      if (v.isArray()) return "an array";
      if (v.isObject()) return "an object";
      return "null";
    }
  }

  /** Text fields of a multipart form: every value is a string and is converted here. */
  record Form(Map<String, List<String>> fields) implements FieldSource {
    @Override
    public String string(String name) {
      List<String> values = fields.get(name);
      if (values == null || values.isEmpty()) return null;
      if (values.size() > 1) {
        throw ApiException.invalidValue(name, "Field '" + name + "' was sent " + values.size()
            + " times; send it once.");
      }
      return values.get(0);
    }

    @Override
    public Integer integer(String name) {
      String v = string(name);
      if (v == null) return null;
      try {
        return Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw wrongType(name, "an integer", "'" + abbreviate(v) + "'");
      }
    }

    @Override
    public Boolean bool(String name) {
      String v = string(name);
      if (v == null) return null;
      return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "1" -> true;
        case "false", "0" -> false;
        default -> throw wrongType(name, "a boolean (true or false)", "'" + abbreviate(v) + "'");
      };
    }

    private static String abbreviate(String v) { return v.length() > 40 ? v.substring(0, 40) + "…" : v; }
  }
}
