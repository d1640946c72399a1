package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Redis server for the tests, one per test JVM, started on first use from {@code redis-server} on this
 * machine ({@code $IMAGEGATE_TEST_REDIS_BIN} or the PATH) on a free loopback port, without persistence, and
 * killed when the JVM exits. Tests keep apart by key prefix: {@link #newPrefix()}. Set
 * {@code IMAGEGATE_TEST_REDIS_URL} to use a server you run instead.
 */
public final class TestRedis {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static volatile TestRedis instance;
  private final String url;

  private TestRedis(String url) { this.url = url; }

  public static TestRedis get() {
    TestRedis s = instance;
    if (s != null) return s;
    synchronized (TestRedis.class) {
      if (instance == null) instance = start();
      return instance;
    }
  }

  /** The server's {@code redis://} URL. */
  public String url() { return url; }

  /** A key prefix no other test uses. */
  public String newPrefix() { return "it" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + ":"; }

  private static TestRedis start() {
    String given = System.getenv("IMAGEGATE_TEST_REDIS_URL");
    if (given != null && !given.isBlank()) return new TestRedis(given);
    Path server = ServerProcess.findBinary("redis-server", "IMAGEGATE_TEST_REDIS_BIN", List.of(Path.of("/usr/bin")));
    int port = ServerProcess.freePort();
    Process p;
    try {
      p = new ProcessBuilder(server.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write("PING\r\n".getBytes());
        if (s.getInputStream().read() == '+') break;
      } catch (IOException e) {
        if (!p.isAlive()) throw new IllegalStateException("redis-server exited with " + p.exitValue());
        if (System.nanoTime() > deadline) throw new IllegalStateException("redis-server did not start", e);
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
    return new TestRedis("redis://127.0.0.1:" + port);
  }
}
