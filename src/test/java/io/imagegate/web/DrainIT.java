package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.HangingUpstream;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on a real gateway process, in its default configuration with {@code OPENAI_API_KEY}: new calls are
 * refused with 503 and {@code /ready} turns 503, the call in flight completes, then the process exits within
 * the grace period; a second signal exits at once.
 */
class DrainIT {
  private static final String BODY = "{\"prompt\":\"a paper boat\",\"size\":\"1024x1024\",\"quality\":\"low\"}";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void sigterm_refusesNewCallsLetsTheCallInFlightFinishThenExits() throws Exception {
    try (HangingUpstream upstream = new HangingUpstream(UpstreamReplies.imageBody(TestImages.png(8, 8), true))) {
      upstream.holdNext(2500);
      int port = freePort();
      Process gateway = start(port, upstream, "5");
      CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(post(port), HttpResponse.BodyHandlers.ofString());
      upstream.awaitArrival(10); // the call is now waiting on its upstream

      long signalled = System.nanoTime();
      gateway.destroy(); // SIGTERM
      HttpResponse<String> ready = CLIENT.send(get(port, "/ready"), HttpResponse.BodyHandlers.ofString());
      for (int i = 0; i < 50 && ready.statusCode() == 200; i++) { // the signal is handled on its own thread
        Thread.sleep(100);
        ready = CLIENT.send(get(port, "/ready"), HttpResponse.BodyHandlers.ofString());
      }
      HttpResponse<String> refused = CLIENT.send(post(port), HttpResponse.BodyHandlers.ofString());

      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("shutting down");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("shutting_down");
      assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
      HttpResponse<String> answered = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(answered.statusCode()).as("the call in flight completes").isEqualTo(200);
      assertThat(answered.body()).contains("b64_json");
      assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).as("exits once drained").isTrue();
      long ms = (System.nanoTime() - signalled) / 1_000_000;
      assertThat(ms).as("well within grace (5 s) + 5 s").isLessThan(10_000);
    }
  }

  @Test
  void sigterm_twice_exitsAtOnceWithoutWaitingForTheCallInFlight() throws Exception {
    try (HangingUpstream upstream = new HangingUpstream(UpstreamReplies.imageBody(TestImages.png(8, 8), true))) {
      upstream.holdNext(30_000);
      int port = freePort();
      Process gateway = start(port, upstream, "60");
      CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(post(port), HttpResponse.BodyHandlers.ofString());
      upstream.awaitArrival(10);

      gateway.destroy();
      Thread.sleep(500);
      assertThat(gateway.isAlive()).as("draining: the call has 60 s").isTrue();
      long second = System.nanoTime();
      new ProcessBuilder("kill", "-TERM", String.valueOf(gateway.pid())).start().waitFor();

      assertThat(gateway.waitFor(5, TimeUnit.SECONDS)).as("the second signal exits at once").isTrue();
      assertThat((System.nanoTime() - second) / 1_000_000).isLessThan(5000);
      assertThat(inFlight).failsWithin(Duration.ofSeconds(5));
    }
  }

  private static Process start(int port, HangingUpstream upstream, String drainSeconds) throws Exception {
    Path dir = Files.createTempDirectory("imagegate-drain");
    Path log = dir.resolve("gateway.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.imagegate.Main").redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("IMAGEGATE_") || k.startsWith("OPENAI_") || k.startsWith("AZURE_"));
    pb.environment().putAll(Map.of("IMAGEGATE_HOST", "127.0.0.1", "IMAGEGATE_PORT", String.valueOf(port),
        "IMAGEGATE_DATA_DIR", dir.resolve("data").toString(), "IMAGEGATE_MASTER_KEY", RunningGateway.MASTER_KEY,
        "IMAGEGATE_DRAIN_SECONDS", drainSeconds, "OPENAI_API_KEY", "sk-drain-upstream",
        "OPENAI_BASE_URL", upstream.baseUrl() + "/v1"));
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        if (CLIENT.send(get(port, "/health"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return p;
      } catch (IOException notYet) {
        if (!p.isAlive()) throw new IllegalStateException("the gateway exited: " + Files.readString(log));
        if (System.nanoTime() > deadline) throw new IllegalStateException("the gateway did not start");
        Thread.sleep(100);
      }
    }
  }

  private static HttpRequest get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
  }

  private static HttpRequest post(int port) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/images/generations"))
        .header("Authorization", "Bearer " + RunningGateway.MASTER_KEY).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
