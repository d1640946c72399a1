package io.imagegate.api;

import java.util.Locale;
import java.util.Set;

/**
 * Checks every field of a request against its model's rules (spec §2–§4) before any work is done, and
 * applies the defaults. Each refusal names the field and says what to change.
 */
public final class RequestValidator {
  public RequestValidator() {}

  public ImageOptions validate(ImageRequest r, ModelSpec model) {
    String prompt = prompt(r.prompt(), model);
    int n = range("n", r.n(), 1, model.maxN(), 1);
    ImageSize size = size(r.size(), model);
    Quality quality = quality(r.quality(), model);
    OutputFormat format = outputFormat(r.outputFormat(), model);
    Background background = background(r.background(), format, model);
    int compression = compression(r.outputCompression(), format);
    String moderation = oneOf("moderation", r.moderation(), Set.of("low", "auto"), "auto");
    boolean stream = Boolean.TRUE.equals(r.stream());
    int partials = range("partial_images", r.partialImages(), 0, 3, 0);
    if (partials > 0 && !stream) {
      throw ApiException.invalidValue("partial_images", "'partial_images' applies only to streamed requests;"
          + " set 'stream' to true or remove 'partial_images'.");
    }
    String fidelity = inputFidelity(r.inputFidelity(), model);
    String responseFormat = oneOf("response_format", r.responseFormat(), Set.of("b64_json", "url"), "b64_json");
    if (responseFormat.equals("url") && stream) {
      throw ApiException.invalidValue("response_format", "Streamed answers carry base64 images; use"
          + " 'response_format: b64_json' with 'stream: true'.");
    }
    String style = r.style();
    if (style != null) {
      if (model.family() != ModelFamily.DALL_E_3) {
        throw ApiException.invalidValue("style", "'style' is supported only by dall-e-3; remove it.");
      }
      oneOf("style", style, Set.of("vivid", "natural"), null);
    }
    if (r.operation() == Operation.EDIT && r.images().isEmpty()) throw ApiException.missing("image");
    if (r.mask() != null && r.images().isEmpty()) {
      throw ApiException.invalidValue("mask", "A 'mask' applies to an input image; send 'image' as well.");
    }
    SentFields sent = new SentFields(r.n(), r.size() == null ? null : size == null ? "auto" : size.toString(),
        r.quality(), r.background(), r.outputFormat(), r.outputCompression(), r.moderation(), r.partialImages(),
        r.inputFidelity(), style, r.user(), r.extra());
    return new ImageOptions(model, r.operation(), prompt, n, size, quality, background, format, compression,
        moderation, stream, partials, fidelity, responseFormat, style, r.user(), sent);
  }

  private static String prompt(String prompt, ModelSpec model) {
    if (prompt == null) throw ApiException.missing("prompt");
    if (prompt.isBlank()) throw ApiException.invalidValue("prompt", "'prompt' is empty; describe the image.");
    int chars = prompt.codePointCount(0, prompt.length());
    if (chars > model.maxPromptChars()) {
      throw ApiException.invalidValue("prompt", "'prompt' is " + chars + " characters long; " + model.id()
          + " accepts at most " + model.maxPromptChars() + ".");
    }
    return prompt;
  }

  private static int range(String param, Integer value, int min, int max, int dflt) {
    if (value == null) return dflt;
    if (value < min || value > max) {
      throw ApiException.invalidValue(param, "Invalid '" + param + "': " + value + "; it must be between "
          + min + " and " + max + ".");
    }
    return value;
  }

  private static ImageSize size(String text, ModelSpec model) {
    if (text == null || text.equals("auto")) {
      if (model.sizes().allowsAuto()) return null;
      if (text == null) return new ImageSize(1024, 1024);
      throw ApiException.invalidValue("size", "Invalid size 'auto': " + model.id() + " needs an explicit size"
          + " such as 1024x1024.");
    }
    // exactly as OpenAI reads it: ASCII digits, a lowercase x, nothing around them
    ImageSize parsed = ImageSize.parseOrNull(text);
    if (parsed == null || parsed.width() == 0 || parsed.height() == 0) {
      throw ApiException.invalidValue("size", "Invalid size '" + text + "': write it as WIDTHxHEIGHT in ASCII"
          + " digits with a lowercase x and no spaces, for example 1024x1536, or 'auto'.");
    }
    return model.sizes().check(parsed);
  }

  private static Quality quality(String text, ModelSpec model) {
    String q = oneOf("quality", text, model.qualities(), model.gptImage() ? "auto" : "standard");
    return switch (q) {
      case "low" -> Quality.LOW;
      case "high", "hd" -> Quality.HIGH;
      default -> Quality.MEDIUM; // auto resolves to medium, as the hosted gateways answer
    };
  }

  private static OutputFormat outputFormat(String text, ModelSpec model) {
    if (text != null && !model.takesOutputOptions()) {
      throw ApiException.invalidValue("output_format", "'output_format' is supported only by the GPT image"
          + " and Gemini image models; remove it for " + model.id() + ".");
    }
    String f = oneOf("output_format", text, Set.of("png", "jpeg", "webp"), "png");
    return OutputFormat.valueOf(f.toUpperCase(Locale.ROOT));
  }

  private static Background background(String text, OutputFormat format, ModelSpec model) {
    if (text != null && !model.takesOutputOptions()) {
      throw ApiException.invalidValue("background", "'background' is supported only by the GPT image"
          + " and Gemini image models; remove it for " + model.id() + ".");
    }
    String b = oneOf("background", text, Set.of("transparent", "opaque", "auto"), "auto");
    if (b.equals("transparent")) {
      if (!format.supportsAlpha()) {
        throw ApiException.invalidValue("background", "A transparent background needs 'output_format' png or"
            + " webp; jpeg has no alpha channel.");
      }
      return Background.TRANSPARENT;
    }
    return Background.OPAQUE;
  }

  private static int compression(Integer value, OutputFormat format) {
    if (value == null) return 100;
    if (format == OutputFormat.PNG) {
      throw ApiException.invalidValue("output_compression", "'output_compression' applies only to jpeg and"
          + " webp output; remove it or set 'output_format' to jpeg or webp.");
    }
    return range("output_compression", value, 0, 100, 100);
  }

  private static String inputFidelity(String text, ModelSpec model) {
    if (text == null) return null;
    if (!model.supportsInputFidelity()) {
      throw new ApiException(400, "image_generation_user_error", "input_fidelity", "invalid_input_fidelity_model",
          "'input_fidelity' is not supported by " + model.id() + "; remove it (this model always"
              + " processes input images at high fidelity).");
    }
    return oneOf("input_fidelity", text, Set.of("low", "high"), "low");
  }

  private static String oneOf(String param, String value, Set<String> allowed, String dflt) {
    if (value == null) return dflt;
    if (!allowed.contains(value)) {
      throw ApiException.invalidValue(param, "Invalid value for '" + param + "': '" + abbreviate(value)
          + "'. Supported values are: " + String.join(", ", allowed.stream().sorted().toList()) + ".");
    }
    return value;
  }

  private static String abbreviate(String v) { return v.length() > 40 ? v.substring(0, 40) + "…" : v; }
}
