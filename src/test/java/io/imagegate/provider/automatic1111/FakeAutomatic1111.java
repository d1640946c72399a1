package io.imagegate.provider.automatic1111;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A scripted WebUI on loopback with the {@code /sdapi/v1} wire shape: {@code txt2img} and {@code img2img}
 * answer the queued drawings ({@code {"images": […], "parameters": {}, "info": "…"}} or an error), each
 * optionally held until the {@code /progress} script has been served or {@code /interrupt} is called;
 * {@code /progress} answers its script of previews in turn (the last one repeated). Every call is recorded.
 */
final class FakeAutomatic1111 implements AutoCloseable {
  record Call(String method, String path, String authorization, byte[] body) {
    JsonNode json() { return Http.json(new String(body, StandardCharsets.UTF_8)); }
  }

  private final MockWebServer server = new MockWebServer();
  private final BlockingQueue<Call> drawings = new LinkedBlockingQueue<>();
  private final BlockingQueue<MockResponse> answers = new LinkedBlockingQueue<>();
  private final AtomicInteger progressPolls = new AtomicInteger();
  private final AtomicInteger interrupts = new AtomicInteger();
  private volatile List<byte[]> previews = List.of();
  private volatile CountDownLatch release = new CountDownLatch(0);
  private volatile CountDownLatch interrupted = new CountDownLatch(1);
  /** The latch a drawing waits on now, or null when none is held. */
  private volatile CountDownLatch holding;
  private volatile long holdMillis;

  FakeAutomatic1111() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
        String path = r.getPath();
        Call call = new Call(r.getMethod(), path, r.getHeader("Authorization"), r.getBody().readByteArray());
        if (path.startsWith("/sdapi/v1/progress")) return progress(path);
        if (path.equals("/sdapi/v1/interrupt")) {
          interrupts.incrementAndGet();
          interrupted.countDown();
          CountDownLatch held = holding; // only a drawing held now: a late interrupt must not release the next hold
          if (held != null) held.countDown();
          return json(200, "{}");
        }
        if (path.equals("/sdapi/v1/txt2img") || path.equals("/sdapi/v1/img2img")) {
          drawings.add(call);
          MockResponse next = answers.poll(); // its own answer, taken now: one queued while it is held is the next call's
          if (holdMillis > 0) {
            CountDownLatch latch = release;
            holding = latch;
            try {
              latch.await(holdMillis, TimeUnit.MILLISECONDS);
            } finally {
              holding = null;
            }
          }
          return next != null ? next : json(500, "{\"error\":\"RuntimeError\",\"detail\":\"nothing queued\"}");
        }
        return json(404, "{\"detail\":\"Not Found\"}");
      }
    });
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MockResponse progress(String path) {
    int i = progressPolls.getAndIncrement();
    List<byte[]> script = previews;
    if (!path.contains("skip_current_image=false") || script.isEmpty()) {
      return json(200, "{\"progress\":0.0,\"eta_relative\":0.0,\"state\":{},\"current_image\":null}");
    }
    byte[] shown = script.get(Math.min(i, script.size() - 1));
    if (i >= script.size() - 1) release.countDown(); // the whole script was shown: the drawing may end
    return json(200, "{\"progress\":" + Math.min(1.0, 0.25 * (i + 1)) + ",\"eta_relative\":1.5,\"state\":{\"job\":\"\"},"
        + "\"current_image\":\"" + Base64.getEncoder().encodeToString(shown) + "\"}");
  }

  static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  /** A drawing answer holding these files, in order. */
  static MockResponse drawn(byte[]... images) {
    List<String> b64 = new ArrayList<>();
    for (byte[] image : images) b64.add("\"" + Base64.getEncoder().encodeToString(image) + "\"");
    return json(200, "{\"images\":[" + String.join(",", b64) + "],\"parameters\":{},"
        + "\"info\":\"{\\\"seed\\\": 1234, \\\"all_seeds\\\": [1234]}\"}");
  }

  String baseUrl() { return "http://127.0.0.1:" + server.getPort(); }

  FakeAutomatic1111 answer(MockResponse... responses) {
    answers.addAll(List.of(responses));
    return this;
  }

  /**
   * The next drawing is held until every preview has been polled (or /interrupt is called, or {@code max}
   * passes); its previews are {@code script}.
   */
  FakeAutomatic1111 holdWhileShowing(long maxMillis, byte[]... script) {
    previews = List.of(script);
    release = new CountDownLatch(1);
    holdMillis = maxMillis;
    return this;
  }

  /** The next drawing call, waiting up to 5 s. */
  Call takeDrawing() throws InterruptedException {
    Call c = drawings.poll(5, TimeUnit.SECONDS);
    if (c == null) throw new AssertionError("the fake A1111 received no (further) txt2img/img2img call");
    return c;
  }

  boolean awaitInterrupt(long seconds) throws InterruptedException { return interrupted.await(seconds, TimeUnit.SECONDS); }

  int interrupts() { return interrupts.get(); }

  int drawingsReceived() { return drawings.size(); }

  void reset() {
    drawings.clear();
    answers.clear();
    previews = List.of();
    release = new CountDownLatch(0);
    interrupted = new CountDownLatch(1);
    holdMillis = 0;
    progressPolls.set(0);
    interrupts.set(0);
  }

  @Override
  public void close() {
    try {
      server.shutdown();
    } catch (IOException ignored) {
      // the test is over
    }
  }
}
