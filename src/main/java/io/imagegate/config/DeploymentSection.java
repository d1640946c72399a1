package io.imagegate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one entry of {@code deployments:} and checks what its provider requires. */
final class DeploymentSection {
  /** The settings every deployment may have; each provider adds its own ({@link ProviderRules#options}). */
  static final List<String> COMMON_KEYS = List.of("provider", "base_url", "api_key", "model", "supports",
      "timeouts", "weight", "priority", "max_concurrent", "max_queue");
  static final List<String> SUPPORTS_KEYS = List.of("sizes", "transparent", "webp", "streaming",
      "input_fidelity", "max_edit_images");
  static final List<String> TIMEOUT_KEYS = List.of("connect_seconds", "answer_seconds");
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  // images take 10-150 s upstream; 300 s leaves room for the slow ones
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(300);

  /** {@code max_concurrent} unset: no cap of the gateway's own; the upstream's limits (429) speak instead. */
  static final int UNLIMITED = 0;

  private DeploymentSection() {}

  /** Every key a deployment section may hold, with any provider. */
  static List<String> keys(ProviderCatalog providers) {
    List<String> keys = new ArrayList<>(COMMON_KEYS);
    keys.addAll(providers.optionKeys());
    return keys;
  }

  /** The deployment {@code name} from its section {@code d}. */
  static DeploymentConfig read(String name, Section d, Map<String, String> env, ProviderCatalog providers) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw d.error("deployment names may use only letters, digits, '.', '_' and '-', starting with a letter"
          + " or digit");
    }
    ProviderRules rules = provider(d, providers);
    for (String key : providers.optionKeys()) {
      if (d.has(key) && rules.options().stream().noneMatch(o -> o.key().equals(key))) {
        throw d.error(d.node(key), "only for provider " + String.join(" or ", providers.owners(key)));
      }
    }
    if (!rules.url().taken() && d.has("base_url")) {
      throw d.error(d.node("base_url"), "the " + rules.name() + " provider takes no base_url");
    }
    if (!rules.key().taken() && d.has("api_key")) {
      throw d.error(d.node("api_key"), "the " + rules.name() + " provider takes no api_key");
    }
    URI baseUrl = baseUrl(d, rules, env);
    String apiKey = d.string("api_key");
    if (apiKey == null && rules.key().required()) {
      throw d.missing("api_key", ": provider " + rules.name() + " needs a key, e.g. api_key: ${"
          + rules.key().example() + "}");
    }
    Map<String, String> options = options(d, rules, env);
    Section t = d.section("timeouts", TIMEOUT_KEYS);
    Duration connect = t == null ? CONNECT_TIMEOUT
        : Duration.ofMillis(t.positiveSecondsAsMillis("connect_seconds", CONNECT_TIMEOUT.toMillis()));
    Duration answer = t == null ? ANSWER_TIMEOUT
        : Duration.ofMillis(t.positiveSecondsAsMillis("answer_seconds", ANSWER_TIMEOUT.toMillis()));
    int maxConcurrent = d.integer("max_concurrent", UNLIMITED, 1, Integer.MAX_VALUE);
    int maxQueue = d.integer("max_queue", 0, 0, Integer.MAX_VALUE);
    if (maxQueue > 0 && maxConcurrent == UNLIMITED) {
      throw d.error(d.node("max_queue"), "max_queue needs max_concurrent: calls queue for one of its places");
    }
    return new DeploymentConfig(name, rules.name(), baseUrl, apiKey, d.string("model"), options,
        supports(d, rules.defaults()), connect, answer, d.integer("weight", 1, 1, Integer.MAX_VALUE),
        d.integer("priority", 0, 0, Integer.MAX_VALUE), maxConcurrent, maxQueue);
  }

  /**
   * The deployment used when there is no config file and the provider's key variable is set (OpenAI's
   * {@code OPENAI_API_KEY}): its base URL from the provider's fallback variable or value.
   */
  static DeploymentConfig fromEnvironment(String name, ProviderRules rules, String apiKey, Map<String, String> env) {
    String text = nonBlank(env.get(rules.url().fallbackEnv()), rules.url().fallback());
    URI url = BaseUrls.parse(text, rules.url().suffix());
    if (url == null) {
      throw new ConfigException(rules.url().fallbackEnv() + ": expected an http or https URL, got \"" + text + "\"");
    }
    return withDefaults(name, rules, url, apiKey.strip());
  }

  /** A deployment with every optional field at its default. */
  static DeploymentConfig withDefaults(String name, ProviderRules rules, URI baseUrl, String apiKey) {
    Map<String, String> options = new LinkedHashMap<>();
    for (ProviderRules.Option o : rules.options()) if (o.fallback() != null) options.put(o.key(), o.fallback());
    return new DeploymentConfig(name, rules.name(), baseUrl, apiKey, null, options, rules.defaults(),
        CONNECT_TIMEOUT, ANSWER_TIMEOUT, 1, 0, UNLIMITED);
  }

  /** The provider's own settings, each read by its shape, then the provider's own check of them. */
  private static Map<String, String> options(Section d, ProviderRules rules, Map<String, String> env) {
    Map<String, String> options = new LinkedHashMap<>();
    for (ProviderRules.Option o : rules.options()) {
      if (o.shape() == ProviderRules.Shape.TREE) {
        YamlNode tree = d.node(o.key());
        if (tree == null && o.required()) throw d.missing(o.key(), ": provider " + rules.name() + " needs " + o.hint());
        if (tree != null) flatten(d, tree, o.key(), options);
        continue;
      }
      String value = o.count() && d.has(o.key())
          ? String.valueOf(d.integer(o.key(), 0, 1, Integer.MAX_VALUE)) : d.string(o.key());
      if (value != null && o.shape() == ProviderRules.Shape.PATH) value = besideTheFile(d, value);
      if (value == null) value = nonBlank(o.fallbackEnv() == null ? null : env.get(o.fallbackEnv()), o.fallback());
      if (value == null) throw d.missing(o.key(), ": provider " + rules.name() + " needs " + o.hint());
      options.put(o.key(), value);
    }
    ProviderRules.Problem problem = rules.check().problem(Map.copyOf(options));
    if (problem != null) throw d.error(at(d, problem.key()), problem.message());
    return options;
  }

  /** A {@link ProviderRules.Shape#TREE} option's scalars under their dotted paths. */
  private static void flatten(Section d, YamlNode node, String path, Map<String, String> into) {
    if (node instanceof YamlNode.Mapping m) {
      for (YamlNode.Entry e : m.entries().values()) flatten(d, e.value(), path + "." + e.key(), into);
    } else if (node instanceof YamlNode.Scalar sc && !sc.isNull() && !sc.value().isBlank()) {
      into.put(path, sc.value().strip());
    } else {
      throw d.error(node, "expected a mapping of names and values, got " + node.describe());
    }
  }

  /** A path as written, made absolute against the folder of the config file. */
  private static String besideTheFile(Section d, String path) {
    Path folder = Path.of(d.source()).toAbsolutePath().getParent();
    return folder.resolve(path).normalize().toString();
  }

  /** The node a dotted path names (its nearest present ancestor), for the line of a provider's problem. */
  private static YamlNode at(Section d, String dotted) {
    String[] keys = dotted.split("\\.");
    YamlNode node = d.node(keys[0]);
    if (node == null) return d.node("provider");
    for (int i = 1; i < keys.length && node instanceof YamlNode.Mapping m && m.entries().containsKey(keys[i]); i++) {
      node = m.entries().get(keys[i]).value();
    }
    return node;
  }

  private static ProviderRules provider(Section d, ProviderCatalog providers) {
    String expected = "expected one of " + String.join(", ", providers.names());
    String name = d.string("provider");
    if (name == null) throw d.missing("provider", "; " + expected);
    return providers.find(name).orElseThrow(() -> d.error(d.node("provider"), expected + ", got "
        + d.node("provider").describe() + Suggest.hint(name, providers.names())));
  }

  private static URI baseUrl(Section d, ProviderRules rules, Map<String, String> env) {
    ProviderRules.Url rule = rules.url();
    if (!rule.taken()) return null;
    String text = d.string("base_url");
    if (text == null) {
      String fromEnv = rule.fallbackEnv() == null ? null : nonBlank(env.get(rule.fallbackEnv()), null);
      if (fromEnv != null) {
        URI url = BaseUrls.parse(fromEnv, rule.suffix());
        if (url == null) {
          throw d.error(rule.fallbackEnv() + " (the default base_url): expected an http or https URL, got \""
              + fromEnv + "\"");
        }
        return url;
      }
      if (rule.fallback() == null) throw d.missing("base_url", ": provider " + rules.name() + " needs " + rule.hint());
      return URI.create(rule.fallback());
    }
    URI url = BaseUrls.parse(text, rule.suffix());
    if (url == null) {
      throw d.error(d.node("base_url"), "expected an http or https URL without query, got "
          + d.node("base_url").describe());
    }
    return url;
  }

  private static Capabilities supports(Section d, Capabilities dflt) {
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
