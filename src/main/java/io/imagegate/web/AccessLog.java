package io.imagegate.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.imagegate.auth.ApiKey;
import io.imagegate.engine.CallNotes;
import io.imagegate.metrics.ErrorType;
import io.imagegate.usage.LedgerEntry;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the logger {@code imagegate.access}, built from an allow-list of fields: the
 * request id, method, route template, status, total time, the key's id and name, the client's address; and for
 * an images call, what its ledger row says (model, size, quality, n, provider, deployment, attempts, error type,
 * images, tokens, cost) and its notes (whether it streamed, the upstream's time, the prompt's length and a
 * 16-digit prefix of its SHA-256). Never a header's value beyond these, a key, a prompt, an image or an upstream's body.
 *
 * <p>The client address is the connection's peer, or the first address of {@code X-Forwarded-For} when that peer
 * is one of {@code IMAGEGATE_TRUSTED_PROXIES}.
 */
final class AccessLog {
  static final String CALL_ATTRIBUTE = "imagegate.call";
  static final String START_ATTRIBUTE = "imagegate.start";
  static final String NOTES_ATTRIBUTE = "imagegate.notes";
  /** The error code of the answer's error object, when the gateway answered one. */
  static final String CODE_ATTRIBUTE = "imagegate.error_code";
  private static final Logger LOG = LoggerFactory.getLogger("imagegate.access");
  private static final JsonFactory JSON = new JsonFactory();
  private final Set<String> trustedProxies;
  private final RouteTable routes;

  AccessLog(Set<String> trustedProxies, RouteTable routes) {
    this.trustedProxies = Set.copyOf(trustedProxies);
    this.routes = routes;
  }

  void write(Context ctx) {
    if (!LOG.isInfoEnabled()) return;
    try {
      LOG.info(line(ctx));
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not write an access line: {}", e.getClass().getSimpleName());
    }
  }

  String line(Context ctx) throws IOException {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator j = JSON.createGenerator(out)) {
      j.writeStartObject();
      j.writeStringField("ts", Instant.now().toString());
      j.writeStringField("request_id", ctx.res().getHeader(GatewayServer.REQUEST_ID));
      j.writeStringField("method", ctx.method().name());
      j.writeStringField("route", route(ctx));
      int status = ctx.status().getCode();
      j.writeNumberField("status", status);
      Long start = ctx.attribute(START_ATTRIBUTE);
      if (start != null) j.writeNumberField("duration_ms", (System.nanoTime() - start) / 1_000_000);
      ApiKey key = ctx.attribute(GatewayServer.KEY_ATTRIBUTE);
      if (key != null) {
        j.writeStringField("key_id", key.id());
        j.writeStringField("key_name", key.name());
      }
      j.writeStringField("client", client(ctx));
      LedgerEntry call = ctx.attribute(CALL_ATTRIBUTE);
      if (call != null) {
        j.writeStringField("operation", call.endpoint().equals("edits") ? "image_edit" : "image_generation");
        j.writeStringField("model", call.modelAsked());
        if (call.size() != null) j.writeStringField("size", call.size());
        if (call.quality() != null) j.writeStringField("quality", call.quality());
        j.writeNumberField("n", call.nAsked());
        if (call.provider() != null) j.writeStringField("provider", call.provider());
        if (call.deployment() != null) j.writeStringField("deployment", call.deployment());
        j.writeNumberField("images", call.imagesReturned());
        j.writeNumberField("tokens_in", call.textInTokens() + call.imageInTokens());
        j.writeNumberField("tokens_out", call.imageOutTokens());
        j.writeNumberField("cost_usd", call.costUsd());
      }
      CallNotes notes = ctx.attribute(NOTES_ATTRIBUTE);
      if (notes != null) {
        if (notes.stream() != null) j.writeBooleanField("stream", notes.stream());
        if (notes.upstreamMillis() != null) j.writeNumberField("upstream_ms", notes.upstreamMillis());
        if (notes.promptChars() != null) {
          j.writeNumberField("prompt_chars", notes.promptChars());
          j.writeStringField("prompt_sha256", notes.promptHash());
        }
      }
      String attempts = ctx.res().getHeader("x-imagegate-attempts");
      if (attempts != null) j.writeStringField("attempts", attempts);
      j.writeStringField("error_type", errorType(ctx).label());
      j.writeEndObject();
    }
    return out.toString();
  }

  /** The answer's error type: from the ledger row's code for an images call, else the error object's. */
  static ErrorType errorType(Context ctx) {
    LedgerEntry call = ctx.attribute(CALL_ATTRIBUTE);
    String code = call != null && call.errorCode() != null ? call.errorCode() : ctx.attribute(CODE_ATTRIBUTE);
    return ErrorType.of(ctx.status().getCode(), code);
  }

  /**
   * The route's template ({@code /v1/images/files/{id}}), never the raw path with its ids: the matched one, or
   * the one the path belongs to when a check before the handler answered (a 401, say).
   */
  String route(Context ctx) {
    io.javalin.router.Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
    String template = endpoint == null ? null : endpoint.path;
    if (template == null || template.isEmpty() || template.contains("*")) template = routes.template(ctx.path());
    return template == null ? "(no route)" : template;
  }

  private String client(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    if (!trustedProxies.contains(peer)) return peer;
    String forwarded = ctx.header("X-Forwarded-For");
    if (forwarded == null || forwarded.isBlank()) return peer;
    String first = forwarded.split(",", 2)[0].trim();
    return first.matches("[0-9A-Fa-f:.]{2,45}") ? first : peer;
  }
}
