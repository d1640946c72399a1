package io.imagegate.web;

import io.imagegate.api.ApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files: {@code GET /} is its page, {@code GET /ui/...} its scripts, styles and vendored
 * libraries, all from the classpath folder {@code ui/}. Every URL in them is relative, so the dashboard works
 * wherever a proxy mounts the gateway. Sent with a strict Content-Security-Policy (nothing inline, nothing
 * from another origin), {@code no-cache} with an ETag so that a new version is picked up at once.
 */
final class ConsolePages {
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
      + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private static final Pattern FILE = Pattern.compile(
      "[a-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*(\\.[A-Za-z0-9_\\-]+)*\\.(js|css|svg|png|html)");
  private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "html", "text/html; charset=utf-8");
  private static final Map<String, Optional<Asset>> CACHE = new ConcurrentHashMap<>();

  private record Asset(byte[] bytes, String type, String etag) {}

  void index(Context ctx) { send(ctx, "index.html"); }

  void file(Context ctx) {
    String path = ctx.pathParam("path");
    if (!FILE.matcher(path).matches()) throw notFound(ctx);
    send(ctx, path);
  }

  private static void send(Context ctx, String path) {
    Asset asset = CACHE.computeIfAbsent(path, ConsolePages::load).orElseThrow(() -> notFound(ctx));
    ctx.header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer").header("X-Frame-Options", "DENY")
        .header("Cache-Control", "no-cache").header("ETag", asset.etag());
    if (asset.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.type()).result(asset.bytes());
  }

  private static Optional<Asset> load(String path) {
    try (InputStream in = ConsolePages.class.getClassLoader().getResourceAsStream("ui/" + path)) {
      if (in == null) return Optional.empty();
      byte[] bytes = in.readAllBytes();
      String ext = path.substring(path.lastIndexOf('.') + 1);
      String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
      return Optional.of(new Asset(bytes, TYPES.get(ext), etag));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ApiException notFound(Context ctx) {
    return new ApiException(404, "invalid_request_error", null, null, "Invalid URL (GET " + ctx.path() + ").");
  }
}
