package io.imagegate.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin calls from browser apps, off unless {@code IMAGEGATE_CORS_ORIGINS} names origins (or
 * {@code *}), and {@code OPTIONS} on every route. An allowed origin gets {@code Access-Control-Allow-Origin} on
 * every answer, with the gateway's own headers exposed; its preflight is answered 204 with the route's
 * methods and the request headers it asked for ({@code Authorization}, {@code Content-Type} and
 * {@code Idempotency-Key} always among them, so SDK headers such as {@code x-stainless-*} pass too). An origin
 * not allowed gets no CORS header, so the browser refuses the answer. No cookies are involved: keys travel in
 * {@code Authorization}, so credentials are never allowed.
 */
final class Cors {
  static final String EXPOSED = "x-request-id, x-imagegate-provider, x-imagegate-deployment, x-imagegate-attempts,"
      + " x-imagegate-idempotent-replayed, x-ratelimit-limit-requests, x-ratelimit-remaining-requests,"
      + " x-ratelimit-reset-requests, x-ratelimit-limit-images, x-ratelimit-remaining-images,"
      + " x-ratelimit-reset-images, retry-after";
  private static final List<String> ALWAYS_ALLOWED = List.of("Authorization", "Content-Type", "Idempotency-Key");

  private final Set<String> origins;
  private final boolean any;
  private final RouteTable routes;

  Cors(List<String> origins, RouteTable routes) {
    this.origins = Set.copyOf(origins);
    this.any = origins.contains("*");
    this.routes = routes;
  }

  /** Before every handler: the CORS headers of an allowed origin; OPTIONS on a known path answered here. */
  void before(Context ctx) {
    String origin = ctx.header("Origin");
    boolean allowed = origin != null && (any || origins.contains(origin.toLowerCase(Locale.ROOT)));
    if (allowed) {
      ctx.header("Access-Control-Allow-Origin", any ? "*" : origin);
      ctx.header("Access-Control-Expose-Headers", EXPOSED);
    }
    if (!origins.isEmpty() && !any) ctx.header("Vary", "Origin");
    if (ctx.method() != HandlerType.OPTIONS) return;
    Set<String> methods = routes.allowed(ctx.path());
    if (methods.isEmpty()) return; // no such path: the 404 follows
    String allow = String.join(", ", methods);
    ctx.header("Allow", allow);
    if (allowed && ctx.header("Access-Control-Request-Method") != null) {
      ctx.header("Access-Control-Allow-Methods", allow);
      ctx.header("Access-Control-Allow-Headers", requestHeaders(ctx.header("Access-Control-Request-Headers")));
      ctx.header("Access-Control-Max-Age", "600");
    }
    ctx.status(204);
    ctx.skipRemainingHandlers();
  }

  /** The headers a preflight asked for (valid header names only), with the three the API needs. */
  private static String requestHeaders(String asked) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String name : ALWAYS_ALLOWED) out.put(name.toLowerCase(Locale.ROOT), name);
    if (asked != null) {
      for (String h : asked.split(",")) {
        String name = h.trim();
        if (name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}")) out.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
        if (out.size() > 64) break;
      }
    }
    return String.join(", ", out.values());
  }
}
