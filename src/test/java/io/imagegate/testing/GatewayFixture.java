package io.imagegate.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One gateway in front of fake upstreams, shared by the tests of a class. Register it as a static
 * {@code @RegisterExtension} field with the gateway's YAML, where {@code {{name}}} stands for the base URL of
 * the upstream made by {@link #upstream(String) upstream(name)} or {@link #hanging hanging(name, ...)}.
 * The gateway starts before the class; every fake upstream is reset before each test; the gateway and all
 * upstreams are closed after the class.
 */
public final class GatewayFixture implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private static final Pattern UPSTREAM = Pattern.compile("\\{\\{([^}]+)}}");

  private final String yaml;
  private final Map<String, String> env;
  private final Map<String, FakeUpstream> upstreams = new LinkedHashMap<>();
  private final Map<String, HangingUpstream> hanging = new LinkedHashMap<>();
  private RunningGateway gateway;

  public GatewayFixture(String yaml) { this(yaml, Map.of()); }

  /** A gateway that also gets this environment (beside the YAML). */
  public GatewayFixture(String yaml, Map<String, String> env) {
    this.yaml = yaml;
    this.env = Map.copyOf(env);
  }

  /** The fake upstream whose base URL stands for {@code {{name}}} in the YAML. */
  public FakeUpstream upstream(String name) {
    return upstreams.computeIfAbsent(name, n -> new FakeUpstream());
  }

  /** An upstream that can hold its answer, whose base URL stands for {@code {{name}}} in the YAML. */
  public HangingUpstream hanging(String name, String answerBody) {
    return hanging.computeIfAbsent(name, n -> new HangingUpstream(answerBody));
  }

  public RunningGateway gateway() { return gateway; }

  public String url(String path) { return gateway.url(path); }

  /** POSTs JSON to the gateway with the master key. */
  public Http.Answer post(String path, String json) {
    return Http.postJson(url(path), RunningGateway.MASTER_KEY, json);
  }

  /** A small low-quality generation for this model (a route name). */
  public Http.Answer generate(String model) {
    return post("/v1/images/generations",
        "{\"model\":\"" + model + "\",\"prompt\":\"a cat on a roof\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Matcher m = UPSTREAM.matcher(yaml);
    StringBuilder config = new StringBuilder();
    while (m.find()) m.appendReplacement(config, Matcher.quoteReplacement(baseUrl(m.group(1))));
    m.appendTail(config);
    gateway = RunningGateway.withConfig(GatewayYaml.write(config.toString()), env);
  }

  private String baseUrl(String name) {
    if (hanging.containsKey(name)) return hanging.get(name).baseUrl();
    if (upstreams.containsKey(name)) return upstreams.get(name).baseUrl();
    throw new IllegalStateException("no upstream named '" + name + "' for {{" + name + "}}");
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    upstreams.values().forEach(FakeUpstream::reset);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (gateway != null) gateway.close();
    upstreams.values().forEach(FakeUpstream::close);
    hanging.values().forEach(HangingUpstream::close);
    gateway = null;
    upstreams.clear();
    hanging.clear();
  }
}
