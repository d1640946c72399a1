package io.imagegate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator: {@code connections} virtual threads, each sending a request, reading the
 * whole answer and sending the next, for a fixed time. Reports requests per second and latency percentiles.
 */
final class LoadClient {
  static final String BODY = "{\"model\":\"gpt-image-2\",\"prompt\":\"A white cat running under the stars\","
      + "\"size\":\"1024x1024\",\"quality\":\"medium\"}";

  /** One run's outcome. */
  record Result(String label, int connections, long ok, long failed, double seconds, long[] latenciesMicros) {
    double rps() { return ok / seconds; }

    double percentileMillis(double p) {
      if (latenciesMicros.length == 0) return Double.NaN;
      int i = (int) Math.min(latenciesMicros.length - 1, Math.ceil(p * latenciesMicros.length) - 1);
      return latenciesMicros[Math.max(0, i)] / 1000.0;
    }

    @Override
    public String toString() {
      return String.format("%-8s c=%-3d %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  ok=%d failed=%d", label,
          connections, rps(), percentileMillis(0.50), percentileMillis(0.99), ok, failed);
    }
  }

  static Result run(String label, URI url, String key, int connections, Duration warmup, Duration measure)
      throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY));
    if (key != null) b.header("Authorization", "Bearer " + key);
    HttpRequest request = b.build();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + measure.toNanos();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      long[][] mine = {new long[1024]};
      int[] count = {0};
      perThread.add(null);
      int slot = c;
      threads.add(Thread.ofVirtual().start(() -> {
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          boolean success;
          try {
            HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
              in.transferTo(OutputStream.nullOutputStream());
            }
            success = r.statusCode() == 200;
          } catch (IOException e) {
            success = false;
          } catch (InterruptedException e) {
            return;
          }
          long t1 = System.nanoTime();
          if (t0 < measureFrom || t1 > end) continue;
          if (!success) {
            failed.incrementAndGet();
            continue;
          }
          ok.incrementAndGet();
          if (count[0] == mine[0].length) mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
          mine[0][count[0]++] = (t1 - t0) / 1000;
        }
        synchronized (perThread) {
          perThread.set(slot, Arrays.copyOf(mine[0], count[0]));
        }
      }));
    }
    for (Thread t : threads) t.join();
    long[] all = perThread.stream().filter(a -> a != null).flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(label, connections, ok.get(), failed.get(), measure.toNanos() / 1e9, all);
  }
}
