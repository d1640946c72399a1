package io.imagegate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm packages of the tests ({@code src/test/node}: the official openai package, axe-core), installed from
 * the lock file with {@code npm ci} once when any is missing. npm's output goes to a log file, never to the
 * test JVM's own streams (the test runner talks to its forked JVMs through them).
 */
public final class NodePackages {
  public static final Path DIR = Path.of("src/test/node");
  private static final List<String> PACKAGES = List.of("openai", "axe-core");

  private NodePackages() {}

  public static synchronized void install() throws Exception {
    if (PACKAGES.stream().allMatch(p -> Files.isDirectory(DIR.resolve("node_modules").resolve(p)))) return;
    File log = Path.of("target", "npm-ci.log").toFile();
    Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true)
        .redirectOutput(log).start();
    assertThat(install.waitFor(300, TimeUnit.SECONDS)).as("npm ci (see " + log + ")").isTrue();
    assertThat(install.exitValue()).as("npm ci (see " + log + ")").isZero();
  }
}
