package io.imagegate.bench;

import java.io.InputStream;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Big answers in bounded memory: {@code --concurrent} requests for {@code n=10} images at 3840x2160 against a
 * real imagegate started with {@code -Xmx1g} (local engine), each answer read as it streams. Reports per
 * request the time to first byte, the total time and the answer size, and the gateway's peak RSS (VmHWM).
 *
 * <pre>
 * ./mvnw -q -Dmaven.test.skip=true install &amp;&amp; ./mvnw -q -f bench/pom.xml package &amp;&amp; \
 *   java -cp bench/target/benchmarks.jar io.imagegate.bench.BigAnswersHarness --concurrent 8 --quality low
 * </pre>
 */
public final class BigAnswersHarness {
  private BigAnswersHarness() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = Options.parse(args);
    int concurrent = Integer.parseInt(opt.getOrDefault("concurrent", "8"));
    String quality = opt.getOrDefault("quality", "low");
    String yaml = """
        deployments:
          local: {provider: local}
        routes:
          gpt-image-2: {deployments: [local]}
        """;
    try (ChildGateway gateway = ChildGateway.start(yaml, opt.get("gateway-classpath"), opt.getOrDefault("gateway-heap", "1g"))) {
      System.out.printf("gateway pid %d, -Xmx%s; %d concurrent requests, n=10, 3840x2160, quality %s%n",
          gateway.pid(), opt.getOrDefault("gateway-heap", "1g"), concurrent, quality);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String body = "{\"model\":\"gpt-image-2\",\"prompt\":\"A neon city street at night in the rain, cyberpunk\","
          + "\"n\":10,\"size\":\"3840x2160\",\"quality\":\"" + quality + "\"}";
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/images/generations"))
          .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer sk-bench-master-key")
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      AtomicLong peakRss = new AtomicLong();
      Thread sampler = Thread.ofPlatform().daemon().start(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          peakRss.accumulateAndGet(rssKb(gateway.pid(), "VmRSS:"), Math::max);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      long start = System.nanoTime();
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < concurrent; i++) {
        int id = i;
        calls.add(CompletableFuture.supplyAsync(() -> fetch(client, request, id, start), r -> Thread.ofVirtual().start(r)));
      }
      int ok = 0;
      for (CompletableFuture<String> call : calls) {
        String line = call.join();
        System.out.println(line);
        if (line.contains("status 200")) ok++;
      }
      sampler.interrupt();
      System.out.printf("%d of %d answered 200 in %.1f s; gateway peak RSS sampled %d MB, VmHWM %d MB%n", ok, concurrent,
          (System.nanoTime() - start) / 1e9, peakRss.get() / 1024, rssKb(gateway.pid(), "VmHWM:") / 1024);
    }
  }

  private static String fetch(HttpClient client, HttpRequest request, int id, long start) {
    try {
      long sent = System.nanoTime();
      HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      long bytes = 0;
      long firstByte = -1;
      byte[] buf = new byte[1 << 16];
      byte[] tail = new byte[0];
      try (InputStream in = r.body()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          if (firstByte < 0) firstByte = System.nanoTime();
          bytes += n;
          tail = java.util.Arrays.copyOfRange(buf, Math.max(0, n - 200), n);
        }
      }
      boolean complete = new String(tail).contains("\"usage\"");
      return String.format("request %d: status %d, first byte after %.2f s, done after %.2f s, %.1f MB, %s", id,
          r.statusCode(), (firstByte - sent) / 1e9, (System.nanoTime() - sent) / 1e9, bytes / 1e6,
          complete ? "complete JSON" : "INCOMPLETE");
    } catch (Exception e) {
      return "request " + id + ": failed: " + e;
    }
  }

  private static long rssKb(long pid, String field) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field))
          .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    } catch (Exception e) {
      return 0;
    }
  }
}
