package io.imagegate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.engine.ModelRouter;
import io.javalin.http.Context;
import java.util.Map;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models this gateway routes, OpenAI's shape. */
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
    router.routes().values().forEach(route -> data.add(model(route)));
    ctx.contentType("application/json").result(list.toString());
  }

  void get(Context ctx) {
    ModelRouter.Route route = router.route(ctx.pathParam("id"));
    ctx.contentType("application/json").result(model(route).toString());
  }

  private static ObjectNode model(ModelRouter.Route route) {
    String id = route.id();
    return JSON.createObjectNode().put("id", id).put("object", "model")
        .put("created", RELEASED.getOrDefault(route.model().id(), 1745280000L))
        .put("owned_by", route.provider().name());
  }
}
