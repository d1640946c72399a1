package io.imagegate.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a request body, JSON or multipart text fields, into an {@link ImageRequest}. Checks types and
 * shapes only; {@link RequestValidator} checks the values against the model.
 */
public final class ImageRequestReader {
  /** Most input images one request may carry (spec §3). */
  public static final int MAX_IMAGES = 16;

  static final Set<String> KNOWN_FIELDS = Set.of("model", "prompt", "n", "size", "quality", "background",
      "output_format", "output_compression", "moderation", "stream", "partial_images", "input_fidelity",
      "response_format", "style", "user", "image", "images", "mask");

  /**
   * How a {@code {"file_id": "file-..."}} image is kept until the Files API replaces it with the file's bytes
   * (for the calling key's own files only); a reference left so is refused as an image the gateway cannot fetch.
   */
  public static final String FILE_REFERENCE = "imagegate-file:";

  private ImageRequestReader() {}

  /** A JSON body; {@code image}/{@code images}/{@code mask} hold references. */
  public static ImageRequest fromJson(JsonNode body, Operation operation) {
    if (body == null || !body.isObject()) {
      throw new ApiException(400, "invalid_request_error", null, "invalid_value",
          "The request body must be a JSON object.");
    }
    List<ImageRef> images = new ArrayList<>();
    readImages(body.get("image"), "image", images);
    readImages(body.get("images"), "images", images);
    ImageRef mask = readMask(body.get("mask"));
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!KNOWN_FIELDS.contains(field.getKey())) extra.put(field.getKey(), field.getValue());
    }
    return read(new FieldSource.Json(body), operation, images, mask, extra);
  }

  /** Multipart text fields with the file parts already read. */
  public static ImageRequest fromForm(Map<String, List<String>> fields, List<ImageRef> images, ImageRef mask,
      Operation operation) {
    Map<String, List<String>> text = new LinkedHashMap<>(fields);
    List<ImageRef> all = new ArrayList<>(images);
    // Image references may also come as text parts (a URL or base64 in an "image" field).
    for (String name : List.of("image", "image[]", "images", "images[]")) {
      List<String> refs = text.remove(name);
      if (refs != null) {
        for (String ref : refs) all.add(ImageRef.ofReference(ref, name.replace("[]", "")));
      }
    }
    List<String> maskRef = text.remove("mask");
    if (mask == null && maskRef != null && !maskRef.isEmpty()) mask = ImageRef.ofReference(maskRef.get(0), "mask");
    checkCount(all.size());
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    text.forEach((name, values) -> {
      if (!KNOWN_FIELDS.contains(name) && !values.isEmpty()) {
        extra.put(name, com.fasterxml.jackson.databind.node.TextNode.valueOf(values.get(0)));
      }
    });
    return read(new FieldSource.Form(text), operation, all, mask, extra);
  }

  private static ImageRequest read(FieldSource f, Operation operation, List<ImageRef> images, ImageRef mask,
      Map<String, JsonNode> extra) {
    String model = f.string("model");
    if (model != null && model.isBlank()) {
      throw ApiException.invalidValue("model", "'model' is empty: name a model such as gpt-image-2, or leave the"
          + " field out for the default.");
    }
    return new ImageRequest(operation, model, f.string("prompt"), f.integer("n"), f.string("size"),
        f.string("quality"), f.string("background"), f.string("output_format"), f.integer("output_compression"),
        f.string("moderation"), f.bool("stream"), f.integer("partial_images"), f.string("input_fidelity"),
        f.string("response_format"), f.string("style"), f.string("user"), List.copyOf(images), mask,
        Map.copyOf(extra));
  }

  private static void readImages(JsonNode node, String param, List<ImageRef> out) {
    if (node == null || node.isNull()) return;
    if (node.isArray()) {
      if (node.isEmpty()) throw ApiException.invalidValue(param, "'" + param + "' must hold at least one image.");
      for (int i = 0; i < node.size(); i++) out.add(readOne(node.get(i), param + "[" + i + "]"));
    } else {
      out.add(readOne(node, param));
    }
    checkCount(out.size());
  }

  private static void checkCount(int count) {
    if (count > MAX_IMAGES) {
      throw ApiException.invalidValue("image", "Too many input images (" + count + "); send at most "
          + MAX_IMAGES + ".");
    }
  }

  private static ImageRef readMask(JsonNode node) {
    if (node == null || node.isNull()) return null;
    return readOne(node, "mask");
  }

  /** A string, or OpenAI's {@code {"image_url": "..."}} object (its url may be nested as {@code {"url"}}). */
  private static ImageRef readOne(JsonNode node, String param) {
    if (node.isTextual()) return nonBlank(node.textValue(), param);
    if (node.isObject()) {
      JsonNode url = node.get("image_url");
      if (url != null && url.isObject()) url = url.get("url");
      if (url != null && url.isTextual()) return nonBlank(url.textValue(), param);
      JsonNode fileId = node.get("file_id");
      if (fileId != null && fileId.isTextual() && !fileId.textValue().isBlank()) {
        return ImageRef.ofReference(FILE_REFERENCE + fileId.textValue(), param);
      }
      throw ApiException.invalidValue(param, "An image object must carry 'image_url' as a string.");
    }
    throw ApiException.invalidValue(param, "Invalid type for '" + param + "': expected a string (URL, data URL"
        + " or base64) or an object with 'image_url', but got " + FieldSource.Json.describe(node) + " instead.");
  }

  private static ImageRef nonBlank(String text, String param) {
    if (text.isBlank()) throw ApiException.invalidValue(param, "'" + param + "' is empty; send an image.");
    return ImageRef.ofReference(text, param);
  }
}
