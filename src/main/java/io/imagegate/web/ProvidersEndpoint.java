package io.imagegate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.engine.DeploymentStatus;
import io.imagegate.engine.ModelRouter;
import io.javalin.http.Context;

/**
 * {@code GET /admin/providers}: each deployment's routing, circuit state, success rate, latency and last
 * error (masked), as this instance saw its upstream calls since it started.
 */
final class ProvidersEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ModelRouter router;

  ProvidersEndpoint(ModelRouter router) { this.router = router; }

  void list(Context ctx) {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    for (DeploymentStatus d : router.deploymentStatus()) {
      ObjectNode o = data.addObject().put("deployment", d.name()).put("provider", d.provider())
          .put("priority", d.priority()).put("weight", d.weight());
      if (d.maxConcurrent() > 0) o.put("max_concurrent", d.maxConcurrent());
      else o.putNull("max_concurrent");
      o.put("max_queue", d.maxQueue());
      if (d.maxConcurrent() > 0) o.put("in_flight", d.inFlight());
      else o.putNull("in_flight");
      o.put("queued", d.waiting());
      ArrayNode routes = o.putArray("routes");
      d.routes().forEach(routes::add);
      o.put("circuit", d.circuit()).put("attempts", d.attempts()).put("successes", d.successes())
          .put("failures", d.failures());
      if (d.attempts() > 0) o.put("success_rate", (double) d.successes() / d.attempts());
      else o.putNull("success_rate");
      ObjectNode latency = o.putObject("latency_ms");
      latency.put("p50", d.p50Millis()).put("p95", d.p95Millis());
      if (d.lastError() == null) {
        o.putNull("last_error");
      } else {
        o.putObject("last_error").put("status", d.lastErrorLabel()).put("message", d.lastError())
            .put("at", d.lastErrorAt().getEpochSecond());
      }
    }
    ctx.contentType("application/json").result(list.toString());
  }
}
