package io.imagegate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real imagegate in its own JVM, so that its heap and threads are its own: started from the repository's
 * build ({@code target/classes} + {@code target/classpath.txt}), stopped on close.
 */
final class ChildGateway implements AutoCloseable {
  private final Process process;
  private final int port;

  private ChildGateway(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ChildGateway start(String yaml, String classpath, String heap) throws Exception {
    if (classpath == null) {
      classpath = "target/classes:" + Files.readString(Path.of("target/classpath.txt")).trim();
    }
    int port = GatewayLoadHarness.freePort();
    Path data = Files.createTempDirectory("imagegate-bench");
    Path config = GatewayLoadHarness.tempFile("imagegate-bench", yaml);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx" + heap, "--enable-native-access=ALL-UNNAMED"));
    String extra = System.getenv("GATEWAY_JVM_OPTS");
    if (extra != null && !extra.isBlank()) command.addAll(List.of(extra.trim().split("\\s+")));
    command.addAll(List.of("-cp", classpath, "io.imagegate.Main"));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(Map.of("IMAGEGATE_CONFIG", config.toString(), "IMAGEGATE_HOST", "127.0.0.1",
        "IMAGEGATE_PORT", String.valueOf(port), "IMAGEGATE_DATA_DIR", data.toString(),
        "IMAGEGATE_MASTER_KEY", "sk-bench-master-key", "IMAGEGATE_LOG_LEVEL", "WARN"));
    pb.redirectErrorStream(true).redirectOutput(data.resolve("gateway.log").toFile());
    ChildGateway gateway = new ChildGateway(pb.start(), port);
    gateway.awaitHealthy();
    return gateway;
  }

  int port() { return port; }

  long pid() { return process.pid(); }

  private void awaitHealthy() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("the gateway exited with " + process.exitValue());
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the gateway did not become healthy in 60 s");
  }

  /** Heap used after a full GC, heap committed, and OS threads of the gateway process. */
  String sample() throws Exception {
    jcmd("GC.run");
    String heap = jcmd("GC.heap_info");
    String threads = Files.readAllLines(Path.of("/proc/" + pid() + "/status")).stream()
        .filter(l -> l.startsWith("Threads:")).findFirst().orElse("Threads: ?").replaceAll("\\s+", " ");
    String rss = Files.readAllLines(Path.of("/proc/" + pid() + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
    String used = heap.lines().filter(l -> l.contains("used")).findFirst().orElse(heap).trim();
    return used + " | " + threads + " | " + rss;
  }

  private String jcmd(String command) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(List.of(jcmd, String.valueOf(pid()), command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
