package io.imagegate.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the gateway configuration: the YAML file named by {@code IMAGEGATE_CONFIG}, else {@code ./imagegate.yaml}
 * when it exists, else defaults from the environment alone.
 *
 * <p>The file (every key optional unless marked; {@code ${VAR}} and {@code ${VAR:-default}} in any string
 * value are replaced from the environment, {@code $$} is a literal {@code $}):
 * <ul>
 *   <li>{@code server:} {@code host} (0.0.0.0), {@code port} (8080), {@code data_dir} (./data),
 *       {@code master_key} (none: created in the store), {@code max_body_mb} (100, 1–4096),
 *       {@code fetch_allow_hosts} (list or comma-separated string; none), {@code database_url} (SQLite in the
 *       data dir), {@code redis_url} (none: counters in memory), {@code redis_prefix} (imagegate:),
 *       {@code keep_prompts} (false). Each {@code IMAGEGATE_*} variable of the same name, when set, wins over the file.
 *   <li>{@code deployments:} name → {@code provider} (required: openai | azure | openai-compatible | local),
 *       {@code base_url} (openai: {@code OPENAI_BASE_URL} or https://api.openai.com; required for azure, the
 *       resource URL, and openai-compatible; a trailing {@code /} or {@code /v1} is dropped),
 *       {@code api_key} (required for openai and azure, optional for openai-compatible, not for local),
 *       {@code model} (upstream model name; default the routed public id), {@code deployment} (azure only,
 *       required), {@code api_version} (azure only; {@code OPENAI_API_VERSION} or 2025-04-01-preview),
 *       {@code supports:} ({@code sizes}: any or a list of WxH; {@code transparent}, {@code webp},
 *       {@code streaming}, {@code input_fidelity}: booleans; {@code max_edit_images}: defaults by provider,
 *       see {@link Capabilities#defaultsFor}), {@code timeouts:} ({@code connect_seconds} 10,
 *       {@code answer_seconds} 300), {@code weight} (1, &gt; 0), {@code priority} (0, ≥ 0, lower preferred),
 *       {@code max_concurrent} (no cap; &gt; 0 when set), {@code max_queue} (0; with {@code max_concurrent}: how
 *       many calls may wait, within their deadlines and in order, for one of its places).
 *   <li>{@code routes:} public model id → {@code deployments} (list of deployment names) or {@code alias}
 *       (another route id); {@code rules} (model id whose request rules apply; default the id itself, which
 *       must then be a known model).
 *   <li>{@code retry:} {@code max_attempts} (3), {@code base_delay_ms} (250), {@code max_delay_ms} (8000),
 *       {@code total_deadline_seconds} (600), {@code busy_wait_ms} (1000: how long a call waits for a
 *       deployment at its {@code max_concurrent} once all of its route's are full, then 503).
 *   <li>{@code circuit_breaker:} {@code failure_threshold} (5), {@code cool_down_seconds} (30).
 *   <li>{@code prices:} public model id → {@code text_in}, {@code image_in}, {@code image_out}: USD per 1M tokens
 *       (spec §7 defaults for the models it prices; all three required for any other).
 * </ul>
 * A file with neither {@code deployments:} nor {@code routes:} gets the environment's defaults for both
 * (see {@link #load(Map)}). Any problem — unknown key, bad value, dangling reference — is a
 * {@link ConfigException} naming the file, line and field path.
 */
public final class ConfigLoader {
  static final List<String> TOP_KEYS = List.of("server", "deployments", "routes", "retry", "circuit_breaker",
      "prices");
  /** Relative, so that messages say {@code imagegate.yaml line 3: ...}. */
  static final Path DEFAULT_FILE = Path.of("imagegate.yaml");

  private ConfigLoader() {}

  /**
   * Loads the file named by {@code IMAGEGATE_CONFIG} (which must exist), else {@code ./imagegate.yaml} when it
   * exists. With no file: settings from the environment; with {@code OPENAI_API_KEY}, deployment
   * {@code openai} ({@code OPENAI_BASE_URL} or https://api.openai.com) serving gpt-image-2, gpt-image-1.5,
   * gpt-image-1 and gpt-image-1-mini; otherwise (Azure variables alone included) deployment {@code local}
   * serving gpt-image-2, gpt-image-1.5 and gpt-image-1.
   *
   * @throws ConfigException when the configuration is invalid
   */
  public static GatewayConfig load(Map<String, String> env, ProviderCatalog providers) {
    return load(env, DEFAULT_FILE, providers);
  }

  /** {@link #load(Map, ProviderCatalog)} with another default file, so that tests need not touch the working directory. */
  static GatewayConfig load(Map<String, String> env, Path defaultFile, ProviderCatalog providers) {
    String named = env.get("IMAGEGATE_CONFIG");
    if (named != null && !named.isBlank()) {
      Path file = Path.of(named.strip());
      if (!Files.isRegularFile(file)) throw new ConfigException("IMAGEGATE_CONFIG: no such file: " + file);
      return load(file, env, providers);
    }
    if (Files.isRegularFile(defaultFile)) return load(defaultFile, env, providers);
    Settings settings;
    try {
      settings = Settings.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    EnvironmentDefaults.Upstreams up = EnvironmentDefaults.from(env, providers);
    return new GatewayConfig(settings, up.deployments(), up.routes(), RetryConfig.defaults(),
        BreakerConfig.defaults(), Map.of(), null);
  }

  /**
   * Loads one config file.
   *
   * @param env the environment for {@code ${VAR}} references, server overrides and provider defaults
   * @param providers the providers deployments may name
   * @throws ConfigException when the file cannot be read or is invalid
   */
  public static GatewayConfig load(Path file, Map<String, String> env, ProviderCatalog providers) {
    String source = file.toString();
    YamlNode.Mapping tree;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      tree = YamlReader.read(reader, source, env);
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot read the config file: " + e.getMessage());
    }
    Section root = Section.of(source, tree, TOP_KEYS);
    Settings settings = ServerSection.read(root.section("server", ServerSection.KEYS), env);
    Map<String, DeploymentConfig> deployments;
    Map<String, RouteConfig> routes;
    boolean hasDeployments = root.entries().containsKey("deployments");
    boolean hasRoutes = root.entries().containsKey("routes");
    if (!hasDeployments && !hasRoutes) {
      EnvironmentDefaults.Upstreams up = EnvironmentDefaults.from(env, providers);
      deployments = up.deployments();
      routes = up.routes();
    } else {
      deployments = deployments(root, env, providers);
      YamlNode.Mapping r = nonEmpty(root, "routes", "a mapping of at least one route (public model id"
          + " -> deployments: [...] or alias: <route>)");
      routes = RouteSection.read(source, r, deployments);
    }
    return new GatewayConfig(settings, deployments, routes,
        PolicySection.retry(root.section("retry", PolicySection.RETRY_KEYS)),
        PolicySection.breaker(root.section("circuit_breaker", PolicySection.BREAKER_KEYS)), PricesSection.read(root),
        file);
  }

  private static Map<String, DeploymentConfig> deployments(Section root, Map<String, String> env,
      ProviderCatalog providers) {
    YamlNode.Mapping m = nonEmpty(root, "deployments", "a mapping of at least one deployment (name ->"
        + " provider: ...)");
    Map<String, DeploymentConfig> out = new LinkedHashMap<>();
    for (YamlNode.Entry e : m.entries().values()) {
      if (!(e.value() instanceof YamlNode.Mapping d)) {
        throw new ConfigException(root.source(), e.keyLine(), YamlNode.child("deployments", e.key()),
            "expected a mapping with provider: ..., got " + e.value().describe());
      }
      out.put(e.key(), DeploymentSection.read(e.key(), Section.of(root.source(), d,
          DeploymentSection.keys(providers)), env, providers));
    }
    return out;
  }

  /** The mapping under {@code key}; missing, null or empty is an error (a file that names one needs both). */
  private static YamlNode.Mapping nonEmpty(Section root, String key, String expected) {
    YamlNode.Entry entry = root.entries().get(key);
    if (entry == null) throw root.missing(key, "; expected " + expected);
    YamlNode.Mapping m = root.mapping(key);
    if (m == null || m.entries().isEmpty()) {
      throw new ConfigException(root.source(), entry.keyLine(), key, "expected " + expected + ", got "
          + (m == null ? "nothing" : "an empty mapping"));
    }
    return m;
  }
}
