package io.imagegate.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} on a port of its own, without a key, for a scraper inside the network
 * ({@code IMAGEGATE_METRICS_PORT}): keep that port off the public network.
 */
public final class MetricsPort implements AutoCloseable {
  private final HttpServer server;

  private MetricsPort(HttpServer server) { this.server = server; }

  public static MetricsPort start(GatewayMetrics metrics, String host, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
      server.createContext("/metrics", exchange -> {
        try (exchange) {
          if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            exchange.sendResponseHeaders(405, -1);
            return;
          }
          byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", GatewayMetrics.contentType());
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      });
      server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return new MetricsPort(server);
    } catch (IOException e) {
      throw new UncheckedIOException("IMAGEGATE_METRICS_PORT " + port + " could not be opened: " + e.getMessage(), e);
    }
  }

  public int port() { return server.getAddress().getPort(); }

  @Override
  public void close() { server.stop(0); }
}
