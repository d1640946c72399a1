package io.imagegate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ApiException;
import io.imagegate.metrics.ErrorType;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.OverviewWindow;
import io.imagegate.usage.UsageOverview;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/overview?window=24h|7d|30d} (default 24h): requests, errors (status ≥ 400), images, cost,
 * latency p50/p95, errors by type and a series of every bucket (hourly for 24h, UTC days otherwise) over the
 * window's whole hours, the current one last, from the usage rollup.
 */
final class OverviewEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JdbcUsageLedger ledger;
  private final Clock clock;

  OverviewEndpoint(JdbcUsageLedger ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  void get(Context ctx) {
    String param = ctx.queryParam("window");
    OverviewWindow window;
    try {
      window = param == null || param.isEmpty() ? OverviewWindow.DAY : OverviewWindow.parse(param);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidValue("window", e.getMessage() + ".");
    }
    UsageOverview o = ledger.overview(window, clock.instant());
    ObjectNode body = JSON.createObjectNode().put("object", "usage.overview").put("window", window.wire())
        .put("from", o.from().getEpochSecond()).put("to", o.to().getEpochSecond()).put("requests", o.requests())
        .put("errors", o.errors()).put("images", o.images()).put("cost_usd", o.costUsd());
    if (o.latency() == null) {
      body.putNull("latency_ms");
    } else {
      body.putObject("latency_ms").put("p50", tenth(o.latency().p50Ms())).put("p95", tenth(o.latency().p95Ms()));
    }
    ArrayNode types = body.putArray("errors_by_type");
    errorsByType(o).forEach((type, n) -> types.addObject().put("error_type", type).put("requests", n));
    ArrayNode series = body.putArray("series");
    for (UsageOverview.Bucket b : o.series()) {
      series.addObject().put("t", b.start().getEpochSecond()).put("requests", b.requests()).put("errors", b.errors())
          .put("images", b.images()).put("cost_usd", b.costUsd());
    }
    ctx.contentType("application/json").result(body.toString());
  }

  /** Failed outcomes summed per error type, most first (ties by name). */
  private static Map<String, Long> errorsByType(UsageOverview o) {
    Map<String, Long> byType = new LinkedHashMap<>();
    for (UsageOverview.OutcomeCount c : o.outcomes()) {
      String type = ErrorType.of(c.outcome().status(), c.outcome().errorCodeOrNull()).label();
      byType.merge(type, c.requests(), Long::sum);
    }
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(byType.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
    Map<String, Long> out = new LinkedHashMap<>();
    sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Milliseconds to a tenth: the estimate is no finer than that. */
  private static double tenth(double ms) { return Math.round(ms * 10) / 10.0; }
}
