package io.imagegate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ModelSpec;
import io.imagegate.config.Capabilities;
import io.imagegate.api.SizeRule;
import io.imagegate.engine.ModelRouter;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models this gateway routes, OpenAI's shape, with
 * what each takes in the extension field {@code imagegate} (its request rules, and what at least one of its
 * deployments can do).
 */
final class ModelsEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Release dates (unix seconds) of the public models, shown as {@code created}. */
  private static final Map<String, Long> RELEASED = Map.of(
      "gpt-image-2", 1776729600L, "gpt-image-2-2026-04-21", 1776729600L, "gpt-image-1.5", 1763510400L,
      "gpt-image-1", 1745280000L, "gpt-image-1-mini", 1759795200L, "dall-e-3", 1698796800L, "dall-e-2", 1698796800L);

  private final ModelRouter router;

  ModelsEndpoint(ModelRouter router) { this.router = router; }

  void list(Context ctx) {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    router.routes().values().forEach(route -> data.add(described(route)));
    ctx.contentType("application/json").result(list.toString());
  }

  void get(Context ctx) {
    ModelRouter.Route route = router.route(ctx.pathParam("id"));
    ctx.contentType("application/json").result(described(route).toString());
  }

  /**
   * {@code GET /admin/playground/models}: the routed models with the rules the playground checks as you type
   * (sizes, most images, qualities), the same rules the gateway validates requests by.
   */
  void playground(Context ctx) {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    for (ModelRouter.Route route : router.routes().values()) data.add(model(route).setAll(rules(route)));
    ctx.contentType("application/json").result(list.toString());
  }

  /** A model as {@code /v1/models} shows it: OpenAI's fields, and what it takes in the extension {@code imagegate}. */
  private ObjectNode described(ModelRouter.Route route) {
    ObjectNode o = model(route);
    ObjectNode ext = rules(route);
    Capabilities c = router.capabilities(route.id());
    ext.put("streaming", c.streaming()).put("transparent_background", c.transparent()).put("webp", c.webp())
        .put("input_fidelity", c.inputFidelity()).put("max_input_images", c.maxEditImages());
    o.set("imagegate", ext);
    return o;
  }

  /** The rules requests for this model are validated by: most images, prompt length, qualities and sizes. */
  private static ObjectNode rules(ModelRouter.Route route) {
    ObjectNode o = JSON.createObjectNode();
    ModelSpec spec = route.model();
    o.put("max_n", spec.maxN()).put("max_prompt_chars", spec.maxPromptChars()).put("gpt_image", spec.gptImage());
    ArrayNode qualities = o.putArray("qualities");
    spec.qualities().stream().sorted().forEach(qualities::add);
    ObjectNode sizes = o.putObject("sizes");
    switch (spec.sizes()) {
      case SizeRule.Flexible f -> sizes.put("rule", "flexible").put("multiple", f.multiple())
          .put("max_edge", f.maxEdge()).put("max_ratio", f.maxRatio()).put("min_pixels", f.minPixels())
          .put("max_pixels", f.maxPixels()).put("auto", true);
      case SizeRule.Fixed f -> {
        sizes.put("rule", "fixed").put("auto", f.allowsAuto());
        ArrayNode listed = sizes.putArray("sizes");
        f.sizes().forEach(size -> listed.add(size.toString()));
      }
      case SizeRule.AspectTiers a -> {
        sizes.put("rule", "aspect_tiers").put("auto", true);
        ArrayNode tiers = sizes.putArray("tiers");
        a.tiers().forEach(tiers::add);
        ObjectNode ratios = sizes.putObject("ratios");
        a.ratios().forEach((ratio, drawn) -> {
          ArrayNode listed = ratios.putArray(ratio);
          drawn.forEach(size -> listed.add(size.toString()));
        });
      }
    }
    return o;
  }

  private static ObjectNode model(ModelRouter.Route route) {
    String id = route.id();
    return JSON.createObjectNode().put("id", id).put("object", "model")
        .put("created", RELEASED.getOrDefault(route.model().id(), 1745280000L))
        .put("owned_by", route.provider().name());
  }
}
