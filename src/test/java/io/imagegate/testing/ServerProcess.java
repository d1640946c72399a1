package io.imagegate.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Shared plumbing of the real database servers the tests start: finding binaries, ports, running commands. */
final class ServerProcess {
  private ServerProcess() { }

  static boolean isRoot() { return "root".equals(System.getProperty("user.name")); }

  /** A free loopback port (there is a small race until the server binds it; the servers fail loudly then). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first directory holding {@code binary}: the override, the PATH, then each candidate (newest first). */
  static Path findBinary(String binary, String overrideVariable, List<Path> candidates) {
    List<Path> dirs = new ArrayList<>();
    String override = System.getenv(overrideVariable);
    if (override != null && !override.isBlank()) dirs.add(Path.of(override));
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!p.isBlank()) dirs.add(Path.of(p));
    }
    dirs.addAll(candidates);
    for (Path d : dirs) {
      Path f = d.resolve(binary);
      if (Files.isExecutable(f)) return f.toAbsolutePath();
    }
    throw new IllegalStateException(binary + " was not found (looked in $" + overrideVariable + ", the PATH and "
        + candidates + "). Install it (Debian: see .ci/run) or point " + overrideVariable + " at its folder.");
  }

  /** Subfolders {@code <root>/<version>/bin}, newest version first (as Debian lays out PostgreSQL). */
  static List<Path> versionedBins(Path root) {
    if (!Files.isDirectory(root)) return List.of();
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.resolve("bin")).filter(Files::isDirectory)
          .sorted(Comparator.comparing((Path p) -> versionOf(p.getParent().getFileName().toString())).reversed())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name.replaceAll("\\..*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Runs a command to its end and returns its output; fails with that output when it exits non-zero. */
  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }
}
