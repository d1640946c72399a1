package io.imagegate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ApiException;
import io.imagegate.metrics.ErrorType;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.LedgerEntry;
import io.imagegate.usage.RequestCursor;
import io.imagegate.usage.RequestFilter;
import io.imagegate.usage.RequestPage;
import io.imagegate.usage.UsageOutcome;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code GET /admin/requests}: the ledger's rows newest first, their metadata only (never the prompt or the end
 * user), in pages of {@code limit} (1–200, default 50) that follow {@code next_cursor}. Filters: {@code key}
 * (key id), {@code model} (as asked), {@code status} (a code such as 429, or a class such as 4xx) and
 * {@code error_type} (one of {@link ErrorType}'s labels, turned into the (status, error code) pairs the ledger
 * holds that have that type). An empty parameter is one left out.
 */
final class RequestsEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LIMIT = 200;
  private static final Pattern STATUS = Pattern.compile("([1-5])(?:([0-9]{2})|[xX]{2})");
  private static final String TYPES = Arrays.stream(ErrorType.values()).map(ErrorType::label)
      .collect(Collectors.joining(", "));
  private final JdbcUsageLedger ledger;

  RequestsEndpoint(JdbcUsageLedger ledger) { this.ledger = ledger; }

  void list(Context ctx) {
    int limit = limit(param(ctx, "limit"));
    String cursorText = param(ctx, "cursor");
    RequestCursor cursor;
    try {
      cursor = cursorText == null ? null : RequestCursor.decode(cursorText);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidValue("cursor", "'cursor' must be a next_cursor this endpoint answered.");
    }
    Integer min = null, max = null;
    String status = param(ctx, "status");
    if (status != null) {
      Matcher m = STATUS.matcher(status);
      if (!m.matches()) {
        throw ApiException.invalidValue("status", "'status' must be an HTTP status (such as 429) or a class (such as 4xx).");
      }
      int hundreds = Integer.parseInt(m.group(1)) * 100;
      min = m.group(2) == null ? hundreds : hundreds + Integer.parseInt(m.group(2));
      max = m.group(2) == null ? hundreds + 99 : min;
    }
    String type = param(ctx, "error_type");
    List<UsageOutcome> outcomes = type == null ? null : outcomes(type);
    RequestPage page = ledger.requests(new RequestFilter(param(ctx, "key"), param(ctx, "model"), min, max, outcomes),
        cursor, limit);
    ObjectNode body = JSON.createObjectNode().put("object", "list");
    ArrayNode data = body.putArray("data");
    for (LedgerEntry e : page.rows()) data.add(json(e));
    body.put("has_more", page.hasMore());
    if (page.hasMore()) body.put("next_cursor", page.next().encode());
    else body.putNull("next_cursor");
    ctx.contentType("application/json").result(body.toString());
  }

  /** {@code GET /admin/requests/{id}}: one request's row, as in the list; 404 {@code request_not_found}. */
  void get(Context ctx) {
    String id = ctx.pathParam("id");
    LedgerEntry e = (id.length() > 64 ? java.util.Optional.<LedgerEntry>empty() : ledger.entry(id))
        .orElseThrow(() -> new ApiException(404, "invalid_request_error", null, "request_not_found",
            "No request with id '" + (id.length() > 64 ? id.substring(0, 64) + "…" : id) + "' is in the ledger."));
    ctx.contentType("application/json").result(json(e).toString());
  }

  /** The pairs the ledger holds whose error type is {@code label}: what {@link ErrorType#of} says, exactly. */
  private List<UsageOutcome> outcomes(String label) {
    ErrorType type = Arrays.stream(ErrorType.values()).filter(t -> t.label().equals(label)).findFirst()
        .orElseThrow(() -> ApiException.invalidValue("error_type", "'error_type' must be one of " + TYPES + "."));
    return ledger.outcomes().stream().filter(o -> ErrorType.of(o.status(), o.errorCodeOrNull()) == type).toList();
  }

  private static int limit(String v) {
    if (v != null) {
      if (v.length() > 3 || !v.chars().allMatch(c -> c >= '0' && c <= '9')
          || Integer.parseInt(v) < 1 || Integer.parseInt(v) > MAX_LIMIT) {
        throw ApiException.invalidValue("limit", "'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
      }
      return Integer.parseInt(v);
    }
    return 50;
  }

  private static String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : v;
  }

  private static ObjectNode json(LedgerEntry e) {
    long ms = e.at().toEpochMilli();
    return JSON.createObjectNode().put("request_id", e.requestId()).put("created_at", Math.floorDiv(ms, 1000L))
        .put("created_at_ms", ms).put("key_id", e.keyId()).put("model", e.modelAsked()).put("deployment", e.deployment())
        .put("provider", e.provider()).put("endpoint", e.endpoint()).put("size", e.size()).put("quality", e.quality())
        .put("n", e.nAsked()).put("images", e.imagesReturned()).put("text_input_tokens", e.textInTokens())
        .put("image_input_tokens", e.imageInTokens()).put("image_output_tokens", e.imageOutTokens())
        .put("cost_usd", e.costUsd()).put("status", e.status()).put("error_code", e.errorCode())
        .put("error_type", ErrorType.of(e.status(), e.errorCode()).label()).put("latency_ms", e.latencyMillis());
  }
}
