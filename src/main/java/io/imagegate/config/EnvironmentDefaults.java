package io.imagegate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployments and routes used when no file names any: OpenAI when {@code OPENAI_API_KEY} is set, else the
 * local engine. Azure variables alone do not make a route, because Azure also needs a deployment name that
 * only a config file can give.
 */
final class EnvironmentDefaults {
  private static final List<String> OPENAI_ROUTES = List.of("gpt-image-2", "gpt-image-1.5", "gpt-image-1",
      "gpt-image-1-mini");
  private static final List<String> LOCAL_ROUTES = List.of("gpt-image-2", "gpt-image-1.5", "gpt-image-1");

  private EnvironmentDefaults() {}

  /** Deployments and routes from the environment, both in order. */
  record Upstreams(Map<String, DeploymentConfig> deployments, Map<String, RouteConfig> routes) {}

  static Upstreams from(Map<String, String> env, ProviderCatalog providers) {
    String key = env.get("OPENAI_API_KEY");
    boolean openAi = key != null && !key.isBlank();
    DeploymentConfig deployment = openAi
        ? DeploymentSection.fromEnvironment("openai", providers.get("openai"), key, env)
        : DeploymentSection.withDefaults("local", providers.get("local"), null, null);
    List<String> ids = openAi ? OPENAI_ROUTES : LOCAL_ROUTES;
    Map<String, RouteConfig> routes = new LinkedHashMap<>();
    for (String id : ids) routes.put(id, new RouteConfig(id, id, null, List.of(deployment.name())));
    Map<String, DeploymentConfig> deployments = new LinkedHashMap<>();
    deployments.put(deployment.name(), deployment);
    return new Upstreams(deployments, routes);
  }
}
