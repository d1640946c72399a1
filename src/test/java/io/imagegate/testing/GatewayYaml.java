package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a gateway YAML config to a fresh temporary file, for {@link RunningGateway#withConfig(Path)}. */
public final class GatewayYaml {
  private GatewayYaml() {}

  public static Path write(String yaml) {
    try {
      Path dir = Files.createTempDirectory("imagegate-yaml");
      return Files.writeString(dir.resolve("imagegate.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a gateway with this YAML as its config file. */
  public static RunningGateway start(String yaml) { return RunningGateway.withConfig(write(yaml)); }
}
