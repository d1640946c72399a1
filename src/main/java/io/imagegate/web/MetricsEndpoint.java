package io.imagegate.web;

import io.imagegate.auth.Authenticator;
import io.imagegate.metrics.GatewayMetrics;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}, Prometheus text: for an admin key (the master key among them), or for the bearer token
 * {@code IMAGEGATE_METRICS_TOKEN}, which a scraper holds instead of an admin key.
 */
final class MetricsEndpoint {
  private final GatewayMetrics metrics;
  private final Authenticator auth;
  private final byte[] token;

  MetricsEndpoint(GatewayMetrics metrics, Authenticator auth, String token) {
    this.metrics = metrics;
    this.auth = auth;
    this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  void get(Context ctx) {
    String header = ctx.header("Authorization");
    boolean scraper = token != null && header != null
        && MessageDigest.isEqual(token, header.trim().getBytes(StandardCharsets.UTF_8));
    if (!scraper) auth.authenticateAdmin(header); // 401 or 403 in the error object otherwise
    ctx.contentType(GatewayMetrics.contentType()).result(metrics.scrape());
  }
}
