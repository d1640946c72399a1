package io.imagegate.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ApiException;
import io.imagegate.api.ModelCatalog;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Budget;
import io.imagegate.auth.JdbcKeyStore;
import io.imagegate.auth.KeyPatch;
import io.imagegate.auth.KeySpec;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The admin key API (issue #4): {@code POST/GET /admin/keys}, {@code GET/PATCH/DELETE /admin/keys/{id}}.
 * Callers are checked by the {@code /admin/*} before-handler (master key or a key with the admin scope).
 * A key's secret appears once, in the POST answer; afterwards only its prefix. DELETE revokes (the row stays).
 */
final class AdminKeysEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("name", "owner", "models", "scopes", "rpm", "ipm", "budget",
      "expires_at", "disabled");
  private static final int MAX_TEXT = 200;
  /** 9999-12-31T23:59:59Z: later expiries are refused (they would overflow epoch milliseconds). */
  private static final long MAX_EXPIRY_SECONDS = 253_402_300_799L;
  private static final double MAX_BUDGET_USD = 1e12;

  private final JdbcKeyStore keys;
  private final Clock clock;

  AdminKeysEndpoint(JdbcKeyStore keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  void create(Context ctx) {
    ObjectNode body = body(ctx);
    if (!body.has("name") || body.get("name").isNull()) throw ApiException.missing("name");
    Instant expires = body.has("expires_at") ? expiry(body.get("expires_at")) : null;
    if (expires != null && !expires.isAfter(clock.instant())) {
      throw ApiException.invalidValue("expires_at", "expires_at must be in the future (unix seconds).");
    }
    KeySpec spec = new KeySpec(name(body.get("name")), body.has("owner") ? owner(body.get("owner")) : null,
        body.has("models") ? models(body.get("models")) : List.of(),
        body.has("scopes") ? scopes(body.get("scopes")) : List.of(ApiKey.SCOPE_IMAGES),
        body.has("rpm") ? perMinute(body.get("rpm"), "rpm") : null,
        body.has("ipm") ? perMinute(body.get("ipm"), "ipm") : null,
        body.has("budget") ? budget(body.get("budget")) : null, expires,
        body.has("disabled") && bool(body.get("disabled"), "disabled"));
    JdbcKeyStore.Created created = keys.create(spec);
    ObjectNode answer = json(created.key());
    answer.put("secret", created.secret());
    ctx.status(201).contentType("application/json").result(answer.toString());
  }

  void list(Context ctx) {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    keys.list().forEach(key -> data.add(json(key)));
    ctx.contentType("application/json").result(list.toString());
  }

  void get(Context ctx) { answer(ctx, keys.get(id(ctx)).orElseThrow(() -> notFound(id(ctx)))); }

  void update(Context ctx) {
    String id = id(ctx);
    ObjectNode body = body(ctx);
    KeyPatch patch = new KeyPatch();
    if (body.has("name")) patch.name(name(body.get("name")));
    if (body.has("owner")) patch.owner(owner(body.get("owner")));
    if (body.has("models")) patch.models(body.get("models").isNull() ? List.of() : models(body.get("models")));
    if (body.has("scopes")) patch.scopes(scopes(body.get("scopes")));
    if (body.has("rpm")) patch.rpm(perMinute(body.get("rpm"), "rpm"));
    if (body.has("ipm")) patch.ipm(perMinute(body.get("ipm"), "ipm"));
    if (body.has("budget")) patch.budget(budget(body.get("budget")));
    if (body.has("expires_at")) patch.expiresAt(expiry(body.get("expires_at")));
    if (body.has("disabled")) patch.disabled(bool(body.get("disabled"), "disabled"));
    answer(ctx, keys.update(id, patch).orElseThrow(() -> notFound(id)));
  }

  /** Revokes the key (idempotent: a revoked key answers as it is). */
  void revoke(Context ctx) {
    String id = id(ctx);
    keys.revoke(id);
    answer(ctx, keys.get(id).orElseThrow(() -> notFound(id)));
  }

  private static void answer(Context ctx, ApiKey key) {
    ctx.contentType("application/json").result(json(key).toString());
  }

  /** The key as the admin API shows it: never the secret or its hash, only the prefix. Times in unix seconds. */
  static ObjectNode json(ApiKey key) {
    ObjectNode o = JSON.createObjectNode().put("id", key.id()).put("object", "api_key").put("name", key.name())
        .put("owner", key.owner()).put("prefix", key.prefix());
    ArrayNode models = o.putArray("models");
    key.models().forEach(models::add);
    ArrayNode scopes = o.putArray("scopes");
    key.scopes().forEach(scopes::add);
    o.put("rpm", key.rpm()).put("ipm", key.ipm());
    if (key.budget() == null) {
      o.putNull("budget");
    } else {
      o.putObject("budget").put("usd", key.budget().usd()).put("period", key.budget().period().wire());
    }
    o.put("expires_at", key.expiresAt() == null ? null : key.expiresAt().getEpochSecond());
    o.put("disabled", key.disabled());
    o.put("created_at", key.createdAt().getEpochSecond());
    o.put("revoked_at", key.revokedAt() == null ? null : key.revokedAt().getEpochSecond());
    return o;
  }

  private static String id(Context ctx) { return ctx.pathParam("id"); }

  private static ApiException notFound(String id) {
    return new ApiException(404, "invalid_request_error", null, "key_not_found",
        "No API key with id '" + shorten(id) + "'.");
  }

  private static String shorten(String text) { return text.length() > 64 ? text.substring(0, 64) + "…" : text; }

  private static ObjectNode body(Context ctx) {
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "invalid_request_error", null, "unsupported_media_type",
          "The admin API takes a JSON body: send 'Content-Type: application/json'.");
    }
    JsonNode body;
    try {
      body = JSON.readTree(ctx.body());
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "invalid_request_error", null, null,
          "The request body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ").");
    }
    if (body == null || !body.isObject()) {
      throw ApiException.invalidValue(null, "The request body must be a JSON object.");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) throw ApiException.unknownParameter(field);
    }
    return (ObjectNode) body;
  }

  private static String name(JsonNode node) {
    if (!node.isTextual() || node.asText().isBlank()) {
      throw ApiException.invalidValue("name", "name must be a non-empty string.");
    }
    return text(node.asText().trim(), "name");
  }

  private static String owner(JsonNode node) {
    if (node.isNull()) return null;
    if (!node.isTextual()) throw ApiException.invalidValue("owner", "owner must be a string or null.");
    String owner = node.asText().trim();
    return owner.isEmpty() ? null : text(owner, "owner");
  }

  private static String text(String value, String param) {
    if (value.length() > MAX_TEXT) {
      throw ApiException.invalidValue(param, param + " must be at most " + MAX_TEXT + " characters.");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.invalidValue(param, param + " must not contain control characters.");
    }
    return value;
  }

  /** Known model ids, without repeats; empty means every model. */
  private static List<String> models(JsonNode node) {
    if (!node.isArray()) throw ApiException.invalidValue("models", "models must be an array of model ids.");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode m = node.get(i);
      if (!m.isTextual() || ModelCatalog.find(m.asText()).isEmpty()) {
        throw ApiException.invalidValue("models", "models[" + i + "] is not a known model id"
            + (m.isTextual() ? ": '" + shorten(m.asText()) + "'." : "."));
      }
      if (!out.contains(m.asText())) out.add(m.asText());
    }
    return out;
  }

  private static List<String> scopes(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      throw ApiException.invalidValue("scopes", "scopes must be a non-empty array of: "
          + String.join(", ", ApiKey.SCOPES) + ".");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode s = node.get(i);
      if (!s.isTextual() || !ApiKey.SCOPES.contains(s.asText())) {
        throw ApiException.invalidValue("scopes", "scopes[" + i + "] must be one of: "
            + String.join(", ", ApiKey.SCOPES) + ".");
      }
      out.add(s.asText());
    }
    return out;
  }

  /** A positive whole number, or null for unlimited. */
  private static Integer perMinute(JsonNode node, String param) {
    if (node.isNull()) return null;
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
      throw ApiException.invalidValue(param, param + " must be a whole number above 0, or null for no limit.");
    }
    return node.asInt();
  }

  private static Budget budget(JsonNode node) {
    if (node.isNull()) return null;
    if (!node.isObject()) {
      throw ApiException.invalidValue("budget", "budget must be an object {\"usd\": number, \"period\":"
          + " \"total\"|\"daily\"|\"monthly\"}, or null for no budget.");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!field.equals("usd") && !field.equals("period")) throw ApiException.unknownParameter("budget." + field);
    }
    JsonNode usd = node.get("usd");
    if (usd == null || usd.isNull()) throw ApiException.missing("budget.usd");
    if (!usd.isNumber() || !Double.isFinite(usd.asDouble()) || usd.asDouble() < 0
        || usd.asDouble() > MAX_BUDGET_USD) {
      throw ApiException.invalidValue("budget.usd", "budget.usd must be a number of dollars, 0 or more.");
    }
    JsonNode period = node.get("period");
    Budget.Period p = Budget.Period.TOTAL;
    if (period != null && !period.isNull()) {
      p = period.isTextual() ? Budget.Period.parse(period.asText()).orElse(null) : null;
      if (p == null) {
        throw ApiException.invalidValue("budget.period", "budget.period must be 'total', 'daily' or 'monthly'.");
      }
    }
    return new Budget(usd.asDouble(), p);
  }

  /** Unix seconds, or null for never. */
  private static Instant expiry(JsonNode node) {
    if (node.isNull()) return null;
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0
        || node.asLong() > MAX_EXPIRY_SECONDS) {
      throw ApiException.invalidValue("expires_at", "expires_at must be a time in unix seconds, or null for never.");
    }
    return Instant.ofEpochSecond(node.asLong());
  }

  private static boolean bool(JsonNode node, String param) {
    if (!node.isBoolean()) throw ApiException.invalidValue(param, param + " must be true or false.");
    return node.asBoolean();
  }
}
