package io.imagegate.testing;

import io.imagegate.Gateway;
import io.imagegate.config.ConfigLoader;
import io.imagegate.provider.ProviderRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real gateway on a free loopback port with its own data dir, for tests over real HTTP. */
public final class RunningGateway implements AutoCloseable {
  public static final String MASTER_KEY = "sk-test-master-0123456789";

  private final Gateway gateway;
  private final Path dataDir;

  private RunningGateway(Map<String, String> env, Path configFile) {
    try {
      dataDir = Files.createTempDirectory("imagegate-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> all = new HashMap<>();
    all.put("IMAGEGATE_HOST", "127.0.0.1");
    all.put("IMAGEGATE_PORT", "0");
    all.put("IMAGEGATE_DATA_DIR", dataDir.toString());
    all.put("IMAGEGATE_MASTER_KEY", MASTER_KEY);
    all.putAll(env);
    all.values().removeIf(v -> v == null);
    gateway = new Gateway(configFile == null ? ConfigLoader.load(all, ProviderRegistry.CATALOG)
        : ConfigLoader.load(configFile, all, ProviderRegistry.CATALOG)).start();
  }

  /** A gateway whose image fetcher may reach 127.0.0.1 (where the tests' image servers run). */
  public static RunningGateway start() { return start(Map.of("IMAGEGATE_FETCH_ALLOW_HOSTS", "127.0.0.1")); }

  public static RunningGateway start(Map<String, String> env) { return new RunningGateway(env, null); }

  /** A gateway configured by a YAML file (upstream tests), with 127.0.0.1 allow-listed for image URLs. */
  public static RunningGateway withConfig(Path file) { return withConfig(file, Map.of()); }

  /** The same with more environment ({@code OTEL_*} settings, say). */
  public static RunningGateway withConfig(Path file, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(Map.of("IMAGEGATE_FETCH_ALLOW_HOSTS", "127.0.0.1"));
    all.putAll(env);
    return new RunningGateway(all, file);
  }

  public Gateway gateway() { return gateway; }

  public Path dataDir() { return dataDir; }

  public String baseUrl() { return "http://127.0.0.1:" + gateway.port(); }

  public String url(String path) { return baseUrl() + path; }

  @Override
  public void close() { gateway.close(); }
}
