package io.imagegate.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A request as read off the wire, types checked but values not yet validated against a model.
 * A null component means the client did not send the field (or sent null): the default applies.
 *
 * @param extra top-level fields this gateway does not know, kept to pass through to upstreams
 */
public record ImageRequest(
    Operation operation, String model, String prompt, Integer n, String size, String quality,
    String background, String outputFormat, Integer outputCompression, String moderation, Boolean stream,
    Integer partialImages, String inputFidelity, String responseFormat, String style, String user,
    List<ImageRef> images, ImageRef mask, Map<String, JsonNode> extra) {

  public static final String DEFAULT_MODEL = "gpt-image-2";

  /** The model asked for, or the default. */
  public String modelOrDefault() { return model == null ? DEFAULT_MODEL : model; }
}
