package io.imagegate.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads one entry of {@code deployments:} and checks what its provider requires. */
final class DeploymentSection {
  static final List<String> KEYS = List.of("provider", "base_url", "api_key", "model", "deployment",
      "api_version", "supports", "timeouts", "weight", "priority", "max_concurrent");
  static final List<String> SUPPORTS_KEYS = List.of("sizes", "transparent", "webp", "streaming",
      "input_fidelity", "max_edit_images");
  static final List<String> TIMEOUT_KEYS = List.of("connect_seconds", "answer_seconds");
  static final String AZURE_API_VERSION = "2025-04-01-preview";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  // images take 10-150 s upstream; 300 s leaves room for the slow ones
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(300);

  /** {@code max_concurrent} unset: no cap of the gateway's own; the upstream's limits (429) speak instead. */
  static final int UNLIMITED = 0;

  private DeploymentSection() {}

  /** The deployment {@code name} from its section {@code d}. */
  static DeploymentConfig read(String name, Section d, Map<String, String> env) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw d.error("deployment names may use only letters, digits, '.', '_' and '-', starting with a letter"
          + " or digit");
    }
    ProviderKind kind = provider(d);
    boolean azure = kind == ProviderKind.AZURE;
    if (!azure) {
      for (String key : List.of("deployment", "api_version")) {
        if (d.has(key)) throw d.error(d.node(key), "only for provider azure");
      }
    }
    if (kind == ProviderKind.LOCAL) {
      for (String key : List.of("base_url", "api_key")) {
        if (d.has(key)) throw d.error(d.node(key), "the local provider takes no " + key);
      }
    }
    URI baseUrl = baseUrl(d, kind, env);
    String apiKey = d.string("api_key");
    if (apiKey == null && (kind == ProviderKind.OPENAI || azure)) {
      throw d.missing("api_key", ": provider " + kind.wire() + " needs a key, e.g. api_key: ${"
          + (azure ? "AZURE_OPENAI_API_KEY" : "OPENAI_API_KEY") + "}");
    }
    String azureDeployment = azure ? d.string("deployment") : null;
    if (azure && azureDeployment == null) {
      throw d.missing("deployment", ": provider azure needs the Azure deployment name");
    }
    String apiVersion = null;
    if (azure) {
      apiVersion = d.string("api_version");
      if (apiVersion == null) apiVersion = nonBlank(env.get("OPENAI_API_VERSION"), AZURE_API_VERSION);
    }
    Section t = d.section("timeouts", TIMEOUT_KEYS);
    Duration connect = t == null ? CONNECT_TIMEOUT
        : Duration.ofMillis(t.positiveSecondsAsMillis("connect_seconds", CONNECT_TIMEOUT.toMillis()));
    Duration answer = t == null ? ANSWER_TIMEOUT
        : Duration.ofMillis(t.positiveSecondsAsMillis("answer_seconds", ANSWER_TIMEOUT.toMillis()));
    return new DeploymentConfig(name, kind, baseUrl, apiKey, d.string("model"), azureDeployment, apiVersion,
        supports(d, kind), connect, answer, d.integer("weight", 1, 1, Integer.MAX_VALUE),
        d.integer("priority", 0, 0, Integer.MAX_VALUE), d.integer("max_concurrent", UNLIMITED, 1, Integer.MAX_VALUE));
  }

  /** The OpenAI deployment used when there is no config file and {@code OPENAI_API_KEY} is set. */
  static DeploymentConfig openAiFromEnvironment(String name, Map<String, String> env) {
    String text = nonBlank(env.get("OPENAI_BASE_URL"), BaseUrls.OPENAI_DEFAULT);
    URI url = BaseUrls.parse(text, ProviderKind.OPENAI);
    if (url == null) throw new ConfigException("OPENAI_BASE_URL: expected an http or https URL, got \"" + text + "\"");
    return withDefaults(name, ProviderKind.OPENAI, url, env.get("OPENAI_API_KEY").strip());
  }

  /** A deployment with every optional field at its default. */
  static DeploymentConfig withDefaults(String name, ProviderKind kind, URI baseUrl, String apiKey) {
    return new DeploymentConfig(name, kind, baseUrl, apiKey, null, null, null, Capabilities.defaultsFor(kind),
        CONNECT_TIMEOUT, ANSWER_TIMEOUT, 1, 0, UNLIMITED);
  }

  private static ProviderKind provider(Section d) {
    String expected = "expected one of " + String.join(", ", ProviderKind.wireNames());
    String wire = d.string("provider");
    if (wire == null) throw d.missing("provider", "; " + expected);
    return ProviderKind.fromWire(wire).orElseThrow(() -> d.error(d.node("provider"), expected + ", got "
        + d.node("provider").describe() + Suggest.hint(wire, ProviderKind.wireNames())));
  }

  private static URI baseUrl(Section d, ProviderKind kind, Map<String, String> env) {
    if (kind == ProviderKind.LOCAL) return null;
    String text = d.string("base_url");
    if (text == null) {
      if (kind != ProviderKind.OPENAI) {
        throw d.missing("base_url", kind == ProviderKind.AZURE
            ? ": provider azure needs the resource URL, e.g. https://<resource>.openai.azure.com"
            : ": provider openai-compatible needs the server's URL");
      }
      String fromEnv = nonBlank(env.get("OPENAI_BASE_URL"), null);
      if (fromEnv == null) return URI.create(BaseUrls.OPENAI_DEFAULT);
      URI url = BaseUrls.parse(fromEnv, kind);
      if (url == null) {
        throw d.error("OPENAI_BASE_URL (the default base_url): expected an http or https URL, got \"" + fromEnv
            + "\"");
      }
      return url;
    }
    URI url = BaseUrls.parse(text, kind);
    if (url == null) {
      throw d.error(d.node("base_url"), "expected an http or https URL without query, got "
          + d.node("base_url").describe());
    }
    return url;
  }

  private static Capabilities supports(Section d, ProviderKind kind) {
    Capabilities dflt = Capabilities.defaultsFor(kind);
    Section s = d.section("supports", SUPPORTS_KEYS);
    if (s == null) return dflt;
    return new Capabilities(sizes(s, dflt.sizes()), s.bool("transparent", dflt.transparent()),
        s.bool("webp", dflt.webp()), s.bool("streaming", dflt.streaming()),
        s.bool("input_fidelity", dflt.inputFidelity()),
        s.integer("max_edit_images", dflt.maxEditImages(), 1, Integer.MAX_VALUE));
  }

  private static List<String> sizes(Section s, List<String> dflt) {
    YamlNode n = s.node("sizes");
    if (n == null) return dflt;
    String expected = "expected any or a non-empty list of WxH sizes such as [1024x1024, 1536x1024], got ";
    if (n instanceof YamlNode.Scalar sc && sc.value().strip().equals("any")) return List.of();
    if (!(n instanceof YamlNode.Sequence seq) || seq.items().isEmpty()) throw s.error(n, expected + n.describe());
    List<String> sizes = new ArrayList<>();
    for (YamlNode item : seq.items()) {
      String text = item instanceof YamlNode.Scalar sc && !sc.isNull() ? sc.value().strip().toLowerCase(java.util.Locale.ROOT) : "";
      if (!text.matches("[1-9][0-9]{0,5}x[1-9][0-9]{0,5}")) throw s.error(item, expected + item.describe());
      if (!sizes.contains(text)) sizes.add(text);
    }
    return sizes;
  }

  private static String nonBlank(String value, String dflt) {
    return value == null || value.isBlank() ? dflt : value.strip();
  }
}
