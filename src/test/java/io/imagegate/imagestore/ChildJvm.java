package io.imagegate.imagestore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a child JVM (the test JVM's own {@code java}) that prints the port it listens on. Started with
 * a clean environment: the parent's {@code IMAGEGATE_*}, {@code AWS_*}, {@code OPENAI_*} and {@code AZURE_*}
 * variables are dropped, so only what the test passes counts. Killed when closed or when the test JVM exits.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final int port;

  private ChildJvm(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code java args…} in {@code dir} and waits until a line of its output matches {@code listening},
   * whose first group is the port.
   *
   * @throws IllegalStateException with the child's last lines when it exits or stays silent for 30 s
   */
  static ChildJvm start(List<String> args, Map<String, String> env, Path dir, Pattern listening) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("IMAGEGATE_") || name.startsWith("AWS_")
        || name.startsWith("OPENAI_") || name.startsWith("AZURE_"));
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "child-jvm-stop"));
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> watch(process, listening, port, tail), "child-jvm-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ChildJvm(process, port.get(30, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      synchronized (tail) {
        throw new IllegalStateException("the child JVM did not start listening; its last lines:\n"
            + String.join("\n", tail), e);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int port() { return port; }

  /** The Maven build directory (where {@code classes}, {@code classpath.txt} and {@code s3proxy/} are). */
  static Path buildDir() {
    try {
      return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Reads the child's output until it exits: completes {@code port} on the first match, keeps the last lines. */
  private static void watch(Process process, Pattern listening, CompletableFuture<Integer> port, Deque<String> tail) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > 40) tail.removeFirst();
        }
        Matcher m = listening.matcher(line);
        if (!port.isDone() && m.find()) port.complete(Integer.parseInt(m.group(1)));
      }
    } catch (IOException e) {
      // the child went away
    }
    port.completeExceptionally(new IllegalStateException("the child JVM exited before it listened"));
  }
}
