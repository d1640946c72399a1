package io.imagegate.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The optional fields a client actually sent, once validated and in their one canonical wire form (a size is
 * {@code WxH} or {@code auto}), for upstreams that should get what the client asked for and no default of
 * ours. A null component was not sent.
 *
 * @param extra top-level fields this gateway does not know, passed through as they came
 */
public record SentFields(Integer n, String size, String quality, String background, String outputFormat,
    Integer outputCompression, String moderation, Integer partialImages, String inputFidelity, String style,
    String user, Map<String, JsonNode> extra) {

  public SentFields {
    extra = Map.copyOf(extra);
  }
}
