package io.imagegate.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/** A tiny HTTP server on 127.0.0.1 that serves test images (and redirects) to the gateway's fetcher. */
public final class ImageServer implements AutoCloseable {
  private final HttpServer server;

  public ImageServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.start();
  }

  public ImageServer serve(String path, String contentType, byte[] body) {
    server.createContext(path, exchange -> {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    return this;
  }

  public ImageServer redirect(String path, String location) {
    server.createContext(path, exchange -> {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    return this;
  }

  public String url(String path) { return "http://127.0.0.1:" + server.getAddress().getPort() + path; }

  @Override
  public void close() { server.stop(0); }
}
