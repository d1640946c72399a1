package io.imagegate.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Load harness for the gateway's upstream path: a fast fake upstream answering a ≈1.5 MB JSON (one 1024² PNG)
 * is loaded directly and through a real imagegate (a child JVM, {@code -Xmx1g}, routing to it as an
 * openai-compatible deployment), at each connection count; then {@code --hold} requests are held in flight
 * against a fake upstream that takes {@code --hold-seconds}, while the gateway's heap and threads are read.
 *
 * <p>Run from the repository root, with {@code JAVA_HOME} set to a JDK 21 or newer (jcmd is used to read
 * the gateway's heap):
 *
 * <pre>
 * ./mvnw -q -Dmaven.test.skip=true install &amp;&amp; ./mvnw -q -f bench/pom.xml package &amp;&amp; \
 *   java -cp bench/target/benchmarks.jar io.imagegate.bench.GatewayLoadHarness --seconds 10 --connections 16,64 --hold 2000
 * </pre>
 */
public final class GatewayLoadHarness {
  private static final String KEY = "sk-bench-master-key";

  private GatewayLoadHarness() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = Options.parse(args);
    int seconds = Integer.parseInt(opt.getOrDefault("seconds", "10"));
    int warmup = Integer.parseInt(opt.getOrDefault("warmup", "3"));
    int hold = Integer.parseInt(opt.getOrDefault("hold", "2000"));
    int holdSeconds = Integer.parseInt(opt.getOrDefault("hold-seconds", "30"));
    List<Integer> connections = new ArrayList<>();
    for (String c : opt.getOrDefault("connections", "16,64").split(",")) connections.add(Integer.parseInt(c.trim()));

    try (FakeUpstream upstream = new FakeUpstream(holdSeconds * 1000L)) {
      System.out.printf("fake upstream on 127.0.0.1:%d, answer %d bytes%n", upstream.port(), upstream.answerBytes());
      try (ChildGateway gateway = ChildGateway.start(config(upstream.port()), opt.get("gateway-classpath"),
          opt.getOrDefault("gateway-heap", "1g"))) {
        System.out.printf("gateway pid %d on 127.0.0.1:%d%n", gateway.pid(), gateway.port());
        URI direct = URI.create("http://127.0.0.1:" + upstream.port() + "/v1/images/generations");
        URI through = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/images/generations");
        LoadClient.run("warm-gw", through, KEY, 8, Duration.ZERO, Duration.ofSeconds(warmup));
        for (int c : connections) {
          LoadClient.Result d = LoadClient.run("direct", direct, null, c, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds));
          LoadClient.Result g = LoadClient.run("gateway", through, KEY, c, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds));
          System.out.println(d);
          System.out.println(g);
          System.out.printf("ratio   c=%-3d throughput %.2fx of direct, p50 %.2fx, p99 %.2fx%n", c, g.rps() / d.rps(),
              g.percentileMillis(0.5) / d.percentileMillis(0.5), g.percentileMillis(0.99) / d.percentileMillis(0.99));
        }
        if (hold > 0) holdTest(gateway, hold, holdSeconds);
      }
    }
  }

  private static void holdTest(ChildGateway gateway, int count, int holdSeconds) throws Exception {
    System.out.printf("holding %d requests against a %d s upstream...%n", count, holdSeconds);
    String before = gateway.sample();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/images/generations"))
        .timeout(Duration.ofSeconds(holdSeconds * 4L)).header("Authorization", "Bearer " + KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(LoadClient.BODY.replace("gpt-image-2", "slow-image"))).build();
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
    Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds) * 2 / 3);
    System.out.println("gateway before:      " + before);
    System.out.println("gateway while held:  " + gateway.sample());
    int ok = 0, failed = 0;
    java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
    for (CompletableFuture<HttpResponse<Void>> call : calls) {
      try {
        int status = call.get().statusCode();
        if (status == 200) ok++;
        else {
          failed++;
          reasons.merge("HTTP " + status, 1, Integer::sum);
        }
      } catch (Exception e) {
        failed++;
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        reasons.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
      }
    }
    if (!reasons.isEmpty()) System.out.println("failures: " + reasons);
    System.out.printf("held %d: %d answered 200, %d failed, all done after %.1f s%n", count, ok, failed,
        (System.nanoTime() - start) / 1e9);
  }

  private static String config(int upstreamPort) {
    return """
        deployments:
          fake:
            provider: openai-compatible
            base_url: http://127.0.0.1:%1$d
            max_concurrent: 20000
            timeouts: {answer_seconds: 120}
          fake-slow:
            provider: openai-compatible
            base_url: http://127.0.0.1:%1$d/slow
            max_concurrent: 20000
            timeouts: {answer_seconds: 120}
        routes:
          gpt-image-2: {deployments: [fake]}
          slow-image: {rules: gpt-image-2, deployments: [fake-slow]}
        """.formatted(upstreamPort);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Path tempFile(String prefix, String content) throws IOException {
    Path file = Files.createTempFile(prefix, ".yaml");
    Files.writeString(file, content);
    return file;
  }
}
