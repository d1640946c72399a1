package io.imagegate.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;

/**
 * A fast fake OpenAI images upstream on 127.0.0.1 for load tests: {@code /v1/images/generations} answers at
 * once with one real 1024x1024 PNG of about 1.1 MB (≈ 1.5 MB of JSON); {@code /slow/v1/images/generations}
 * answers after {@code slowMillis} with a small real PNG (the hold test measures waiting, not payload: two
 * thousand 1.5 MB answers landing in the same second would be 3 GB in any process that buffers them).
 * One virtual thread per exchange.
 */
final class FakeUpstream implements AutoCloseable {
  private final HttpServer server;
  private final byte[] answer;
  private final byte[] smallAnswer;
  private final long slowMillis;

  FakeUpstream(long slowMillis) throws IOException {
    this.slowMillis = slowMillis;
    this.answer = answer(png(1024, 400));
    this.smallAnswer = answer(png(64, 0));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8192);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/images/generations", this::fast);
    server.createContext("/slow/v1/images/generations", this::slow);
    server.start();
  }

  int port() { return server.getAddress().getPort(); }

  int answerBytes() { return answer.length; }

  private void fast(HttpExchange exchange) throws IOException {
    respond(exchange, answer);
  }

  private void slow(HttpExchange exchange) throws IOException {
    try {
      Thread.sleep(slowMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    respond(exchange, smallAnswer);
  }

  private void respond(HttpExchange exchange, byte[] answer) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  /** A real 1024² PNG: a gradient with noise in part of it, so that it compresses to about 1.1 MB. */
  static byte[] png(int side, int noisyRows) throws IOException {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    SplittableRandom random = new SplittableRandom(42);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int noise = y < noisyRows ? random.nextInt(256) : 0;
        img.setRGB(x, y, ((x / 4) << 16) | ((y / 4) << 8) | noise);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  static byte[] answer(byte[] png) {
    String json = "{\"created\":1776847985,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(png)
        + "\"}],\"background\":\"opaque\",\"output_format\":\"png\",\"quality\":\"medium\",\"size\":\"1024x1024\","
        + "\"usage\":{\"input_tokens\":7,\"output_tokens\":1756,\"total_tokens\":1763,"
        + "\"input_tokens_details\":{\"text_tokens\":7,\"image_tokens\":0},"
        + "\"output_tokens_details\":{\"image_tokens\":1756,\"text_tokens\":0}}}";
    return json.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() { server.stop(0); }
}
