package io.imagegate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Authenticator;
import io.imagegate.auth.ConsoleSessions;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Locale;

/**
 * Who calls the admin API, and the dashboard's sign-in: {@code POST /admin/session} with an admin key as
 * bearer sets an HttpOnly, {@code SameSite=Strict} session cookie; {@code GET} says who is signed in;
 * {@code DELETE} signs out. The cookie has no {@code Path}, so the browser scopes it to the folder of
 * {@code /admin/session} wherever a proxy mounts the gateway, and never sends it to {@code /v1}. A change
 * (any method but GET and HEAD) made with the cookie must come from the gateway's own origin.
 */
final class ConsoleSession {
  static final String COOKIE = "imagegate_session";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Authenticator auth;

  ConsoleSession(Authenticator auth) { this.auth = auth; }

  /** The admin calling: by its bearer key when there is an Authorization header, else by its session cookie. */
  ApiKey caller(Context ctx) {
    String authorization = ctx.header("Authorization");
    String token = ctx.cookie(COOKIE);
    if (authorization != null || token == null) return auth.authenticateAdmin(authorization);
    ApiKey key = auth.authenticateSession(token);
    if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) checkOrigin(ctx);
    return key;
  }

  void signIn(Context ctx) {
    if (ctx.header("Authorization") == null) {
      throw new ApiException(400, "invalid_request_error", null, "invalid_value", "Sign in with an admin key:"
          + " send it as 'Authorization: Bearer YOUR_KEY'.");
    }
    ApiKey key = ctx.attribute(GatewayServer.KEY_ATTRIBUTE);
    Authenticator.SignIn in = auth.signIn(key);
    ctx.header("Set-Cookie", COOKIE + "=" + in.token() + "; Max-Age=" + ConsoleSessions.LIFETIME.toSeconds()
        + "; HttpOnly; SameSite=Strict" + (secure(ctx) ? "; Secure" : ""));
    ctx.header("Cache-Control", "no-store");
    ctx.status(201).contentType("application/json").result(who(key, in.expiresAt().getEpochSecond()).toString());
  }

  void get(Context ctx) {
    ApiKey key = ctx.attribute(GatewayServer.KEY_ATTRIBUTE);
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("application/json").result(who(key, null).toString());
  }

  void signOut(Context ctx) {
    auth.signOut(ctx.cookie(COOKIE));
    ctx.header("Set-Cookie", COOKIE + "=; Max-Age=0; HttpOnly; SameSite=Strict" + (secure(ctx) ? "; Secure" : ""));
    ctx.status(204);
  }

  private static ObjectNode who(ApiKey key, Long expiresAt) {
    ObjectNode o = JSON.createObjectNode().put("object", "console.session");
    o.putObject("key").put("id", key.id()).put("name", key.name()).put("prefix", key.prefix());
    if (expiresAt != null) o.put("expires_at", expiresAt);
    return o;
  }

  /**
   * The {@code Origin} of a change made with the cookie must name this host (the {@code Host} the browser
   * sent, or {@code X-Forwarded-Host} from a proxy in front), whatever the scheme: a page elsewhere cannot
   * make changes with a signed-in admin's cookie even where {@code SameSite} is not enforced.
   */
  private static void checkOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    String host = ctx.header("X-Forwarded-Host");
    if (host == null || host.isBlank()) host = ctx.header("Host");
    if (origin == null || host == null || !sameHost(origin, host.split(",")[0].trim())) {
      throw new ApiException(403, "permission_denied", null, "origin_mismatch", "A change made with the"
          + " dashboard's session must come from the dashboard's own page (the Origin header did not match).");
    }
  }

  private static boolean sameHost(String origin, String host) {
    try {
      URI uri = URI.create(origin);
      if (uri.getHost() == null) return false;
      String authority = uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
      return authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))
          || (uri.getPort() < 0 && defaultPortOf(host, uri.getScheme()).equalsIgnoreCase(uri.getHost()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code host:80} for http (443 for https) names the same origin as {@code host}. */
  private static String defaultPortOf(String host, String scheme) {
    String port = "https".equalsIgnoreCase(scheme) ? ":443" : ":80";
    return host.endsWith(port) ? host.substring(0, host.length() - port.length()) : "\u0000";
  }

  private static boolean secure(Context ctx) {
    return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }
}
