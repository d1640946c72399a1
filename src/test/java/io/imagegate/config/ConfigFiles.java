package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Test helper: writes YAML to a file and loads it or captures the error. */
final class ConfigFiles {
  private ConfigFiles() {}

  static Path write(Path dir, String yaml) {
    try {
      return Files.writeString(dir.resolve("imagegate.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GatewayConfig load(Path dir, String yaml, Map<String, String> env) {
    return ConfigLoader.load(write(dir, yaml), env, io.imagegate.provider.ProviderRegistry.CATALOG);
  }

  /** The ConfigException that loading throws; fails the test when loading succeeds. */
  static ConfigException error(Path dir, String yaml, Map<String, String> env) {
    Path file = write(dir, yaml);
    ConfigException[] caught = new ConfigException[1];
    assertThatThrownBy(() -> ConfigLoader.load(file, env, io.imagegate.provider.ProviderRegistry.CATALOG)).isInstanceOfSatisfying(ConfigException.class,
        e -> caught[0] = e);
    return caught[0];
  }

  /** The file that {@link #write} writes in {@code dir}. */
  static Path dir(Path dir) { return dir.resolve("imagegate.yaml"); }

  /** The message prefix for {@code line} and {@code path} in the file written to {@code dir}. */
  static String at(Path dir, int line, String path) {
    return dir.resolve("imagegate.yaml") + " line " + line + ": " + path + ": ";
  }
}
