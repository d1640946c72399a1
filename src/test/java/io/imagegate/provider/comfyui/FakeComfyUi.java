package io.imagegate.provider.comfyui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A scripted ComfyUI server on loopback: answers by route ({@code "POST /prompt"}, {@code "GET /history"},
 * {@code "GET /view"}, …; the path up to its id or query), each route's answers in order with the last one
 * repeated, and records every call in order.
 */
final class FakeComfyUi implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final Map<String, List<MockResponse>> script = new ConcurrentHashMap<>();
  private final BlockingQueue<RecordedRequest> calls = new LinkedBlockingQueue<>();

  FakeComfyUi() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        calls.add(request);
        List<MockResponse> answers = script.get(route(request));
        if (answers == null || answers.isEmpty()) {
          return json(404, "{\"error\":\"fake ComfyUI: nothing scripted for " + route(request) + "\"}");
        }
        synchronized (answers) {
          return (answers.size() > 1 ? answers.remove(0) : answers.get(0)).clone();
        }
      }
    });
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String route(RecordedRequest r) {
    String path = r.getPath();
    int q = path.indexOf('?');
    if (q >= 0) path = path.substring(0, q);
    if (path.startsWith("/history/")) path = "/history";
    return r.getMethod() + " " + path;
  }

  static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
  }

  static MockResponse file(byte[] bytes) {
    return new MockResponse().setHeader("Content-Type", "image/png").setBody(new okio.Buffer().write(bytes));
  }

  /** The answers of {@code route} from now on, the last one repeated. */
  FakeComfyUi on(String route, MockResponse... answers) {
    script.put(route, java.util.Collections.synchronizedList(new ArrayList<>(List.of(answers))));
    return this;
  }

  String baseUrl() { return "http://127.0.0.1:" + server.getPort(); }

  /** The next call, waiting up to 5 s. */
  RecordedRequest take() {
    try {
      RecordedRequest r = calls.poll(5, TimeUnit.SECONDS);
      if (r == null) throw new AssertionError("the fake ComfyUI received no (further) call");
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next call that is not a poll of the history; returns how many polls came before it. */
  int skipPolls(List<RecordedRequest> into) {
    int polls = 0;
    while (true) {
      RecordedRequest r = take();
      if (!route(r).equals("GET /history")) {
        into.add(r);
        return polls;
      }
      polls++;
    }
  }

  /** How many calls arrived and were not yet taken. */
  int calls() { return calls.size(); }

  void reset() {
    script.clear();
    calls.clear();
  }

  @Override
  public void close() {
    try {
      server.shutdown();
    } catch (IOException e) {
      // closing a test server: nothing to do
    }
  }
}
