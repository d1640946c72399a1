package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.provider.ProviderRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  static final String FULL = """
      server:
        host: 127.0.0.1
        port: 9090
        data_dir: ./var
        master_key: ${IMAGEGATE_MASTER_KEY:-master-from-file}
        max_body_mb: 20
        fetch_allow_hosts: [127.0.0.1, 10.0.0.0/8]
        database_url: jdbc:sqlite:./var/x.db
      deployments:
        openai-main:
          provider: openai
          base_url: https://api.openai.com/v1/
          api_key: ${OPENAI_API_KEY}
          model: gpt-image-2
          supports:
            sizes: [1024x1024, 1536X1024]
            transparent: false
            webp: true
            streaming: true
            input_fidelity: false
            max_edit_images: 4
          timeouts:
            connect_seconds: 5
            answer_seconds: 120.5
          weight: 3
          priority: 1
          max_concurrent: 8
        azure-east:
          provider: azure
          base_url: https://east.openai.azure.com/
          api_key: ${AZURE_KEY}
          deployment: my-gpt-image
        compat:
          provider: openai-compatible
          base_url: http://localhost:8081
        local:
          provider: local
      routes:
        gpt-image-2:
          deployments: [openai-main, azure-east]
        my-image-model:
          rules: gpt-image-1
          deployments:
            - compat
            - local
        gpt-image-2-latest:
          alias: gpt-image-2
      retry:
        max_attempts: 5
        base_delay_ms: 100
        max_delay_ms: 2000
        total_deadline_seconds: 90
      circuit_breaker:
        failure_threshold: 2
        cool_down_seconds: 7
      """;

  static final Map<String, String> KEYS = Map.of("OPENAI_API_KEY", "sk-openai-secret", "AZURE_KEY", "az-secret");

  @Test
  void load_fullFile_readsEveryKey() {
    GatewayConfig c = ConfigFiles.load(dir, FULL, KEYS);

    assertThat(c.source()).isEqualTo(dir.resolve("imagegate.yaml"));
    Settings s = c.settings();
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(9090);
    assertThat(s.dataDir()).isEqualTo(Path.of("./var"));
    assertThat(s.masterKey()).isEqualTo("master-from-file");
    assertThat(s.maxBodyBytes()).isEqualTo(20L * 1024 * 1024);
    assertThat(s.fetchAllowHosts()).containsExactly("127.0.0.1", "10.0.0.0/8");
    assertThat(s.databaseUrl()).isEqualTo("jdbc:sqlite:./var/x.db");

    assertThat(c.deployments()).containsOnlyKeys("openai-main", "azure-east", "compat", "local");
    assertThat(c.deployments().keySet()).containsExactly("openai-main", "azure-east", "compat", "local");
    DeploymentConfig o = c.deployments().get("openai-main");
    assertThat(o.provider()).isEqualTo("openai");
    assertThat(o.baseUrl()).isEqualTo(URI.create("https://api.openai.com"));
    assertThat(o.apiKey()).isEqualTo("sk-openai-secret");
    assertThat(o.model()).isEqualTo("gpt-image-2");
    assertThat(o.supports()).isEqualTo(new Capabilities(List.of("1024x1024", "1536x1024"), false, true, true,
        false, 4));
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.answerTimeout()).isEqualTo(Duration.ofMillis(120_500));
    assertThat(o.weight()).isEqualTo(3);
    assertThat(o.priority()).isEqualTo(1);
    assertThat(o.maxConcurrent()).isEqualTo(8);

    DeploymentConfig a = c.deployments().get("azure-east");
    assertThat(a.baseUrl()).isEqualTo(URI.create("https://east.openai.azure.com"));
    assertThat(a.option("deployment")).isEqualTo("my-gpt-image");
    assertThat(a.option("api_version")).isEqualTo("2025-04-01-preview");
    assertThat(a.apiKey()).isEqualTo("az-secret");

    assertThat(c.routes().keySet()).containsExactly("gpt-image-2", "my-image-model", "gpt-image-2-latest");
    assertThat(c.routes().get("gpt-image-2")).isEqualTo(new RouteConfig("gpt-image-2", "gpt-image-2", null,
        List.of("openai-main", "azure-east")));
    assertThat(c.routes().get("my-image-model")).isEqualTo(new RouteConfig("my-image-model", "gpt-image-1",
        null, List.of("compat", "local")));
    assertThat(c.routes().get("gpt-image-2-latest")).isEqualTo(new RouteConfig("gpt-image-2-latest",
        "gpt-image-2", "gpt-image-2", List.of()));

    assertThat(c.retry()).isEqualTo(new RetryConfig(5, Duration.ofMillis(100), Duration.ofMillis(2000),
        Duration.ofSeconds(90)));
    assertThat(c.breaker()).isEqualTo(new BreakerConfig(2, Duration.ofSeconds(7)));
  }

  @Test
  void load_minimalDeployments_getDefaultsPerProvider() {
    GatewayConfig c = ConfigFiles.load(dir, """
        deployments:
          o: {provider: openai, api_key: k1}
          a: {provider: azure, base_url: https://r.openai.azure.com/openai/, api_key: k2, deployment: d}
          c: {provider: openai-compatible, base_url: "http://h:1/v1"}
          l: {provider: local}
        routes:
          gpt-image-1: {deployments: [o, a, c, l]}
        """, Map.of());

    DeploymentConfig o = c.deployments().get("o");
    assertThat(o.baseUrl()).isEqualTo(URI.create("https://api.openai.com"));
    assertThat(o.model()).isNull();
    assertThat(o.option("deployment")).isNull();
    assertThat(o.option("api_version")).isNull();
    assertThat(o.supports()).isEqualTo(Capabilities.all());
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.answerTimeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(List.of(o.weight(), o.priority(), o.maxConcurrent())).containsExactly(1, 0, 0);

    DeploymentConfig a = c.deployments().get("a");
    assertThat(a.baseUrl()).isEqualTo(URI.create("https://r.openai.azure.com"));
    assertThat(a.option("api_version")).isEqualTo("2025-04-01-preview");
    assertThat(a.supports().webp()).isFalse();

    DeploymentConfig cc = c.deployments().get("c");
    assertThat(cc.baseUrl()).isEqualTo(URI.create("http://h:1"));
    assertThat(cc.apiKey()).isNull();
    assertThat(cc.supports()).isEqualTo(ProviderRegistry.CATALOG.get("openai-compatible").defaults());

    DeploymentConfig l = c.deployments().get("l");
    assertThat(l.baseUrl()).isNull();
    assertThat(l.apiKey()).isNull();
    assertThat(l.supports()).isEqualTo(Capabilities.all());

    assertThat(c.retry()).isEqualTo(RetryConfig.defaults());
    assertThat(c.breaker()).isEqualTo(BreakerConfig.defaults());
    assertThat(c.settings()).isEqualTo(Settings.fromEnvironment(Map.of()));
  }

  @Test
  void load_providerDefaultsFromEnvironment_openAiBaseUrlAndAzureApiVersion() {
    GatewayConfig c = ConfigFiles.load(dir, """
        deployments:
          o: {provider: openai, api_key: k1}
          a: {provider: azure, base_url: https://r.openai.azure.com, api_key: k2, deployment: d}
        routes:
          gpt-image-1: {deployments: [o, a]}
        """, Map.of("OPENAI_BASE_URL", "http://proxy:9000/v1/", "OPENAI_API_VERSION", "2099-01-01"));

    assertThat(c.deployments().get("o").baseUrl()).isEqualTo(URI.create("http://proxy:9000"));
    assertThat(c.deployments().get("a").option("api_version")).isEqualTo("2099-01-01");
  }

  @Test
  void load_environmentVariables_overrideServerSection() {
    GatewayConfig c = ConfigFiles.load(dir, FULL, Map.of("OPENAI_API_KEY", "x", "AZURE_KEY", "y",
        "IMAGEGATE_PORT", "7000", "IMAGEGATE_HOST", "::", "IMAGEGATE_MASTER_KEY", "env-master",
        "IMAGEGATE_MAX_BODY_MB", "", "IMAGEGATE_FETCH_ALLOW_HOSTS", "a,b", "IMAGEGATE_DATA_DIR", "/d",
        "IMAGEGATE_DATABASE_URL", "jdbc:postgresql://db/x"));

    Settings s = c.settings();
    assertThat(s.port()).isEqualTo(7000);
    assertThat(s.host()).isEqualTo("::");
    assertThat(s.masterKey()).isEqualTo("env-master");
    assertThat(s.maxBodyBytes()).as("blank variable leaves the file value").isEqualTo(20L * 1024 * 1024);
    assertThat(s.fetchAllowHosts()).containsExactly("a", "b");
    assertThat(s.dataDir()).isEqualTo(Path.of("/d"));
    assertThat(s.databaseUrl()).isEqualTo("jdbc:postgresql://db/x");
  }

  @Test
  void load_badPortInEnvironment_namesTheVariableAndItsSource() {
    assertThatThrownBy(() -> ConfigFiles.load(dir, FULL, Map.of("OPENAI_API_KEY", "x", "AZURE_KEY", "y",
        "IMAGEGATE_PORT", "http")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IMAGEGATE_PORT must be a whole number from 0 to 65535, not 'http'")
        .hasMessageContaining("set in the environment");
  }

  @Test
  void load_fileWithOnlyServer_usesEnvironmentUpstreams() {
    GatewayConfig c = ConfigFiles.load(dir, "server:\n  port: 1234\n", Map.of("OPENAI_API_KEY", "sk"));

    assertThat(c.settings().port()).isEqualTo(1234);
    assertThat(c.deployments().keySet()).containsExactly("openai");
    assertThat(c.routes().keySet()).containsExactly("gpt-image-2", "gpt-image-1.5", "gpt-image-1",
        "gpt-image-1-mini");
  }

  @Test
  void load_emptyFile_isTheEnvironmentDefaults() {
    GatewayConfig c = ConfigFiles.load(dir, "", Map.of());

    assertThat(c.deployments().keySet()).containsExactly("local");
    assertThat(c.source()).isNotNull();
  }

  @Test
  void load_noFile_withOpenAiKey_routesFourModelsToOpenAi() {
    GatewayConfig c = ConfigLoader.load(Map.of("OPENAI_API_KEY", "sk-x", "OPENAI_BASE_URL",
        "https://gw.example/v1/"), dir.resolve("absent.yaml"), ProviderRegistry.CATALOG);

    assertThat(c.source()).isNull();
    DeploymentConfig d = c.deployments().get("openai");
    assertThat(d.provider()).isEqualTo("openai");
    assertThat(d.baseUrl()).isEqualTo(URI.create("https://gw.example"));
    assertThat(d.apiKey()).isEqualTo("sk-x");
    assertThat(c.routes().keySet()).containsExactly("gpt-image-2", "gpt-image-1.5", "gpt-image-1",
        "gpt-image-1-mini");
    assertThat(c.routes().values()).allSatisfy(r -> {
      assertThat(r.deployments()).containsExactly("openai");
      assertThat(r.rules()).isEqualTo(r.id());
    });
  }

  @Test
  void load_noFile_withOnlyAzureVariables_fallsBackToLocal() {
    GatewayConfig c = ConfigLoader.load(Map.of("AZURE_OPENAI_API_KEY", "k", "AZURE_OPENAI_ENDPOINT",
        "https://r.openai.azure.com"), dir.resolve("absent.yaml"), ProviderRegistry.CATALOG);

    assertThat(c.deployments().keySet()).containsExactly("local");
    assertThat(c.deployments().values()).noneMatch(d -> d.provider().equals("azure"));
  }

  @Test
  void load_noFile_noKeys_routesThreeModelsToLocal() {
    GatewayConfig c = ConfigLoader.load(Map.of("IMAGEGATE_PORT", "8181"), dir.resolve("absent.yaml"), ProviderRegistry.CATALOG);

    assertThat(c.settings().port()).isEqualTo(8181);
    assertThat(c.deployments().get("local").provider()).isEqualTo("local");
    assertThat(c.routes().keySet()).containsExactly("gpt-image-2", "gpt-image-1.5", "gpt-image-1");
    assertThat(c.routes().get("gpt-image-1").deployments()).containsExactly("local");
    assertThat(c.retry()).isEqualTo(RetryConfig.defaults());
  }

  @Test
  void load_defaultFileExists_isRead() throws Exception {
    Path file = Files.writeString(dir.resolve("custom.yaml"), "server: {port: 4321}\n");

    assertThat(ConfigLoader.load(Map.of(), file, ProviderRegistry.CATALOG).settings().port()).isEqualTo(4321);
    assertThat(ConfigLoader.load(Map.of(), file, ProviderRegistry.CATALOG).source()).isEqualTo(file);
  }

  @Test
  void load_imagegateConfigVariable_winsOverDefaultFile() throws Exception {
    Path named = Files.writeString(dir.resolve("named.yaml"), "server: {port: 1111}\n");
    Path dflt = Files.writeString(dir.resolve("default.yaml"), "server: {port: 2222}\n");

    GatewayConfig c = ConfigLoader.load(Map.of("IMAGEGATE_CONFIG", named.toString()), dflt, ProviderRegistry.CATALOG);

    assertThat(c.settings().port()).isEqualTo(1111);
    assertThat(c.source()).isEqualTo(named);
  }

  @Test
  void load_imagegateConfigNamesMissingFile_isAnError() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("IMAGEGATE_CONFIG", missing.toString()), ProviderRegistry.CATALOG))
        .isInstanceOf(ConfigException.class)
        .hasMessage("IMAGEGATE_CONFIG: no such file: " + missing);
  }

  @Test
  void defaultFile_isRelative_soMessagesSayImagegateYaml() {
    assertThat(ConfigLoader.DEFAULT_FILE.toString()).isEqualTo("imagegate.yaml");
  }

  /** A provider is its rules: the loader reads a new one's settings without knowing it by name. */
  @Test
  void load_providerOfAnotherCatalog_isReadByItsRules() {
    ProviderRules acme = new ProviderRules("acme", ProviderRules.Url.required("/api/v3", "the region's URL"),
        ProviderRules.Key.required("ACME_KEY"),
        List.of(new ProviderRules.Option("region", null, null, "the region"),
            new ProviderRules.Option("watermark", "ACME_WATERMARK", "false", "whether to watermark")),
        new Capabilities(List.of("2048x2048"), false, false, false, false, 10));
    ProviderCatalog catalog = new ProviderCatalog(List.of(acme));
    Path file = ConfigFiles.write(dir, "deployments:\n  a:\n    provider: acme\n    base_url: https://acme.example/api/v3/\n"
        + "    api_key: k\n    region: eu\nroutes:\n  gpt-image-2: {deployments: [a]}\n");
    DeploymentConfig a = ConfigLoader.load(file, Map.of("ACME_WATERMARK", "true"), catalog).deployments().get("a");
    assertThat(a.provider()).isEqualTo("acme");
    assertThat(a.baseUrl()).isEqualTo(java.net.URI.create("https://acme.example"));
    assertThat(a.options()).containsExactlyInAnyOrderEntriesOf(Map.of("region", "eu", "watermark", "true"));
    assertThat(a.supports().allowsSize(1024, 1024)).isFalse();
    Path missing = ConfigFiles.write(dir, "deployments:\n  a:\n    provider: acme\n    base_url: https://acme.example\n"
        + "    api_key: k\nroutes:\n  gpt-image-2: {deployments: [a]}\n");
    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of(), catalog)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("deployments.a.region").hasMessageContaining("provider acme needs the region");
    Path other = ConfigFiles.write(dir, "deployments:\n  a:\n    provider: openai\n    api_key: k\n"
        + "routes:\n  gpt-image-2: {deployments: [a]}\n");
    assertThatThrownBy(() -> ConfigLoader.load(other, Map.of(), catalog)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected one of acme");
  }

  @Test
  void load_serverCorsOrigins_fromTheFile_theEnvironmentWinning() {
    Path file = ConfigFiles.write(dir, "server:\n  cors_origins: [https://a.example, 'http://localhost:3000']\n");
    assertThat(ConfigLoader.load(file, Map.of(), ProviderRegistry.CATALOG).settings().corsOrigins())
        .containsExactly("https://a.example", "http://localhost:3000");
    assertThat(ConfigLoader.load(file, Map.of("IMAGEGATE_CORS_ORIGINS", "*"), ProviderRegistry.CATALOG).settings()
        .corsOrigins()).containsExactly("*");
  }

  @Test
  void load_serverMetricsAndProxies_fromTheFile_theEnvironmentWinning() {
    Path file = ConfigFiles.write(dir, "server:\n  metrics_token: file-token-0123456789\n  metrics_port: 9464\n"
        + "  trusted_proxies: [10.0.0.9, 10.0.0.10]\n");
    Settings s = ConfigLoader.load(file, Map.of(), ProviderRegistry.CATALOG).settings();
    assertThat(s.metricsToken()).isEqualTo("file-token-0123456789");
    assertThat(s.metricsPort()).isEqualTo(9464);
    assertThat(s.trustedProxies()).containsExactly("10.0.0.9", "10.0.0.10");
    Settings env = ConfigLoader.load(file, Map.of("IMAGEGATE_METRICS_PORT", "9100", "IMAGEGATE_METRICS_TOKEN",
        "env-token-0123456789ab"), ProviderRegistry.CATALOG).settings();
    assertThat(env.metricsPort()).isEqualTo(9100);
    assertThat(env.metricsToken()).isEqualTo("env-token-0123456789ab");
    assertThat(ConfigLoader.load(ConfigFiles.write(dir, "server:\n  host: x\n"), Map.of(), ProviderRegistry.CATALOG)
        .settings().metricsPort()).as("no metrics port unless one is set").isEqualTo(-1);
    assertThatThrownBy(() -> ConfigLoader.load(ConfigFiles.write(dir, "server:\n  metrics_token: short\n"), Map.of(),
        ProviderRegistry.CATALOG)).isInstanceOf(ConfigException.class).hasMessageContaining("IMAGEGATE_METRICS_TOKEN");
  }
}
