package io.imagegate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.usage.GroupBy;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.UsageCsv;
import io.imagegate.usage.UsageQuery;
import io.imagegate.usage.UsageTotal;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code GET /admin/usage} (every key; JSON totals, or the rows as CSV with {@code format=csv}) and
 * {@code GET /v1/usage} (the calling key's own spend). Filters: {@code from}, {@code to} (unix seconds,
 * ISO instants or dates), {@code key}, {@code model}; {@code group_by} day, key or model.
 */
final class UsageEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JdbcUsageLedger ledger;

  UsageEndpoint(JdbcUsageLedger ledger) { this.ledger = ledger; }

  void admin(Context ctx) throws IOException { answer(ctx, ctx.queryParam("key")); }

  void own(Context ctx) throws IOException {
    ApiKey key = ctx.attribute(GatewayServer.KEY_ATTRIBUTE);
    answer(ctx, key.id());
  }

  private void answer(Context ctx, String keyId) throws IOException {
    UsageQuery q = new UsageQuery(time(ctx, "from"), time(ctx, "to"), keyId, ctx.queryParam("model"));
    if ("csv".equalsIgnoreCase(ctx.queryParam("format"))) {
      ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=usage.csv");
      Writer out = new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8);
      UsageCsv.write(ledger.entries(q), out);
      out.flush();
      return;
    }
    GroupBy groupBy;
    try {
      groupBy = GroupBy.parse(ctx.queryParamAsClass("group_by", String.class).getOrDefault("day"));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidValue("group_by", e.getMessage());
    }
    List<UsageTotal> totals = ledger.totals(q, groupBy);
    ObjectNode body = JSON.createObjectNode().put("object", "usage").put("group_by", groupBy.name().toLowerCase());
    double cost = 0;
    long requests = 0, images = 0;
    ArrayNode data = body.putArray("data");
    for (UsageTotal t : totals) {
      data.addObject().put("group", t.group()).put("requests", t.requests()).put("images", t.images())
          .put("text_input_tokens", t.textInTokens()).put("image_input_tokens", t.imageInTokens())
          .put("image_output_tokens", t.imageOutTokens()).put("cost_usd", t.costUsd());
      cost += t.costUsd();
      requests += t.requests();
      images += t.images();
    }
    body.putObject("total").put("requests", requests).put("images", images).put("cost_usd", cost);
    ctx.contentType("application/json").result(body.toString());
  }

  private static Instant time(Context ctx, String param) {
    String v = ctx.queryParam(param);
    if (v == null || v.isBlank()) return null;
    try {
      if (v.chars().allMatch(Character::isDigit)) return Instant.ofEpochSecond(Long.parseLong(v));
      if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      return Instant.parse(v);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw ApiException.invalidValue(param, "'" + param + "' must be unix seconds, a date (2026-11-26) or an ISO"
          + " instant (2026-11-26T10:00:00Z).");
    }
  }
}
