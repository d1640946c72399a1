package io.imagegate.provider.automatic1111;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.api.ApiException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The A1111 fields one deployment lets a client add to its request, each with the JSON type its value must
 * have. {@code passthrough: negative_prompt, seed, override_settings} names fields whose type is known here
 * ({@link #KNOWN}); any other field is named with its type, {@code name:type}, the type one of
 * {@code string, number, integer, boolean, object, array}. The fields the gateway maps itself
 * ({@code prompt}, {@code width}, {@code height}, {@code batch_size}, {@code n_iter}, {@code init_images},
 * {@code mask}) cannot be listed. A field not listed stays the 400 {@code unknown_parameter} it is for
 * every other provider.
 */
final class Passthrough {
  enum Type { STRING, NUMBER, INTEGER, BOOLEAN, OBJECT, ARRAY }

  static final Map<String, Type> KNOWN = Map.ofEntries(
      Map.entry("negative_prompt", Type.STRING), Map.entry("sampler_name", Type.STRING),
      Map.entry("scheduler", Type.STRING), Map.entry("cfg_scale", Type.NUMBER), Map.entry("seed", Type.INTEGER),
      Map.entry("subseed", Type.INTEGER), Map.entry("subseed_strength", Type.NUMBER),
      Map.entry("steps", Type.INTEGER), Map.entry("override_settings", Type.OBJECT),
      Map.entry("override_settings_restore_afterwards", Type.BOOLEAN), Map.entry("styles", Type.ARRAY),
      Map.entry("restore_faces", Type.BOOLEAN), Map.entry("tiling", Type.BOOLEAN),
      Map.entry("denoising_strength", Type.NUMBER), Map.entry("mask_blur", Type.INTEGER),
      Map.entry("inpainting_fill", Type.INTEGER), Map.entry("inpaint_full_res", Type.BOOLEAN),
      Map.entry("inpaint_full_res_padding", Type.INTEGER), Map.entry("resize_mode", Type.INTEGER),
      Map.entry("enable_hr", Type.BOOLEAN), Map.entry("hr_scale", Type.NUMBER),
      Map.entry("hr_upscaler", Type.STRING), Map.entry("alwayson_scripts", Type.OBJECT));

  private static final java.util.Set<String> MAPPED =
      java.util.Set.of("prompt", "width", "height", "batch_size", "n_iter", "init_images", "mask");

  private final Map<String, Type> fields;

  private Passthrough(Map<String, Type> fields) { this.fields = fields; }

  /** @throws IllegalArgumentException naming the entry that is not a field, a type or allowed */
  static Passthrough parse(String list, String deployment) {
    Map<String, Type> fields = new LinkedHashMap<>();
    for (String entry : list.split(",")) {
      String e = entry.strip();
      if (e.isEmpty()) continue;
      int colon = e.indexOf(':');
      String name = (colon < 0 ? e : e.substring(0, colon)).strip();
      if (MAPPED.contains(name) || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("deployment " + deployment + ": passthrough field '" + name
            + "' cannot be passed through" + (MAPPED.contains(name) ? " (the gateway sets it from the request)" : ""));
      }
      Type type;
      if (colon < 0) {
        type = KNOWN.get(name);
        if (type == null) {
          throw new IllegalArgumentException("deployment " + deployment + ": passthrough field '" + name
              + "' has no known type; write it as " + name + ":string (or number, integer, boolean, object, array)");
        }
      } else {
        try {
          type = Type.valueOf(e.substring(colon + 1).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException notAType) {
          throw new IllegalArgumentException("deployment " + deployment + ": passthrough entry '" + e
              + "': the type must be string, number, integer, boolean, object or array");
        }
      }
      fields.put(name, type);
    }
    return new Passthrough(Map.copyOf(fields));
  }

  /** Null when the client may send {@code value} as {@code name}, else the 400 saying why not. */
  ApiException check(String name, JsonNode value) {
    Type type = fields.get(name);
    if (type == null) return ApiException.unknownParameter(name);
    boolean fits = switch (type) {
      case STRING -> value.isTextual();
      case NUMBER -> value.isNumber();
      case INTEGER -> value.isIntegralNumber() && value.canConvertToLong();
      case BOOLEAN -> value.isBoolean();
      case OBJECT -> value.isObject();
      case ARRAY -> value.isArray();
    };
    if (fits && name.equals("steps") && value.asLong() < 1) fits = false;
    return fits ? null : ApiException.invalidValue(name, "'" + name + "' must be "
        + (name.equals("steps") ? "a whole number of at least 1" : article(type)) + " on this deployment.");
  }

  private static String article(Type type) {
    return switch (type) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case INTEGER -> "a whole number";
      case BOOLEAN -> "true or false";
      case OBJECT -> "a JSON object";
      case ARRAY -> "a JSON array";
    };
  }
}
