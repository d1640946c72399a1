package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A fake upstream on 127.0.0.1: a {@link MockWebServer} whose answers are queued per test, which records
 * every API call it gets (with the moment it arrived) and can also serve fixed files (image downloads),
 * kept apart from the recorded calls.
 */
public final class FakeUpstream implements AutoCloseable {
  /** One call as the upstream received it, and when ({@link System#nanoTime()}) it was fully read. */
  public record Call(RecordedRequest request, long arrivedNanos) {
    public String path() { return request.getPath(); }

    public String header(String name) { return request.getHeader(name); }

    public byte[] body() { return request.getBody().clone().readByteArray(); }

    public com.fasterxml.jackson.databind.JsonNode json() { return Http.json(new String(body(), java.nio.charset.StandardCharsets.UTF_8)); }

    /** The multipart parts of the body (fails when the body is not multipart). */
    public Multipart parts() { return Multipart.parse(header("Content-Type"), body()); }
  }

  private final MockWebServer server = new MockWebServer();
  private final ConcurrentLinkedQueue<MockResponse> answers = new ConcurrentLinkedQueue<>();
  private final Map<String, MockResponse> files = new ConcurrentHashMap<>();
  private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  private final List<Call> all = java.util.Collections.synchronizedList(new ArrayList<>());

  public FakeUpstream() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        MockResponse file = files.get(request.getPath());
        if (file != null) return file.clone();
        Call call = new Call(request, System.nanoTime());
        calls.add(call);
        all.add(call);
        MockResponse next = answers.poll();
        return next != null ? next : new MockResponse().setResponseCode(418)
            .setHeader("Content-Type", "application/json")
            .setBody("{\"error\":{\"message\":\"fake upstream: no answer queued for this call\",\"type\":\"test\","
                + "\"code\":\"nothing_queued\",\"param\":null}}");
      }
    });
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>} (no host name, so nothing resolves elsewhere). */
  public String baseUrl() { return "http://127.0.0.1:" + server.getPort(); }

  public String url(String path) { return baseUrl() + path; }

  /** Queues answers for the next calls, in order. */
  public FakeUpstream enqueue(MockResponse... responses) {
    answers.addAll(List.of(responses));
    return this;
  }

  /** Serves a fixed file at {@code path}, every time, without recording it as a call. */
  public FakeUpstream serve(String path, String contentType, byte[] bytes) {
    files.put(path, new MockResponse().setHeader("Content-Type", contentType).setBody(new okio.Buffer().write(bytes)));
    return this;
  }

  /** The next call received, waiting up to 5 s; fails when none came. */
  public Call take() {
    try {
      Call call = calls.poll(5, TimeUnit.SECONDS);
      if (call == null) throw new AssertionError("the fake upstream received no (further) call");
      return call;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next call's {@link RecordedRequest}, as {@link MockWebServer#takeRequest()} would give it. */
  public RecordedRequest takeRequest() { return take().request(); }

  /** How many API calls (not file downloads) arrived so far. */
  public int callCount() { return all.size(); }

  /** Every API call so far, in arrival order. */
  public List<Call> calls() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  /** Forgets queued answers and recorded calls (between tests sharing one upstream). */
  public void reset() {
    answers.clear();
    calls.clear();
    all.clear();
  }

  public MockWebServer server() { return server; }

  @Override
  public void close() {
    try {
      server.shutdown();
    } catch (IOException ignored) {
      // a test's leftover connection; nothing to do
    }
  }
}
