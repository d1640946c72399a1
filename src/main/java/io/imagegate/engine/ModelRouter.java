package io.imagegate.engine;

import io.imagegate.metrics.GatewayMetrics;
import io.imagegate.api.ApiException;
import io.imagegate.api.ModelCatalog;
import io.imagegate.api.ModelSpec;
import io.imagegate.config.BreakerConfig;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.config.GatewayConfig;
import io.imagegate.config.RouteConfig;
import io.imagegate.provider.ImageProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which deployments answer which public model id, built from the configuration. A model nobody serves does
 * not exist for clients; an alias answers exactly as the route it points to.
 */
public final class ModelRouter {
  private final Map<String, Route> routes;
  private final Map<String, Deployment> deployments;

  /**
   * One routed model id.
   *
   * @param id the public id clients send
   * @param model the rules its requests are validated by
   * @param provider the chain of deployments that serves it
   */
  public record Route(String id, ModelSpec model, ImageProvider provider) {}

  private ModelRouter(Map<String, Route> routes, Map<String, Deployment> deployments) {
    this.routes = Collections.unmodifiableMap(routes);
    this.deployments = Collections.unmodifiableMap(deployments);
  }

  /** Builds every deployment once (its breaker and concurrency bound shared by all routes that use it). */
  public static ModelRouter of(GatewayConfig config, Function<DeploymentConfig, ImageProvider> providers,
      GatewayMetrics metrics) {
    BreakerConfig breaker = config.breaker();
    Map<String, Deployment> deployments = new LinkedHashMap<>();
    config.deployments().forEach((name, d) -> {
      Deployment deployment = new Deployment(d, providers.apply(d), new CircuitBreaker(breaker.failureThreshold(),
          breaker.coolDown()));
      metrics.circuit(deployment.provider.name(), name, deployment.breaker::state);
      deployments.put(name, deployment);
    });
    Map<String, Route> routes = new LinkedHashMap<>();
    for (RouteConfig route : config.routes().values()) {
      RouteConfig target = config.resolve(route.id());
      ModelSpec rules = ModelCatalog.find(target.rules())
          .orElseThrow(() -> new IllegalArgumentException("unknown model rules: " + target.rules()));
      List<Deployment> chain = new ArrayList<>();
      target.deployments().forEach(name -> chain.add(deployments.get(name)));
      routes.put(route.id(), new Route(route.id(), rules, new DeploymentChain(target.id(), chain, config.retry(),
          metrics)));
    }
    return new ModelRouter(routes, deployments);
  }

  /** Every deployment, in the configured order, with the routes that use it and its state now. */
  public List<DeploymentStatus> deploymentStatus() {
    List<DeploymentStatus> out = new ArrayList<>();
    for (Deployment d : deployments.values()) {
      List<String> using = routes.values().stream()
          .filter(r -> r.provider() instanceof DeploymentChain c && c.deployments().contains(d)).map(Route::id).toList();
      DeploymentStats.Snapshot s = d.stats.snapshot();
      String circuit = switch (d.breaker.state()) {
        case 0 -> "closed";
        case 1 -> "half_open";
        default -> "open";
      };
      out.add(new DeploymentStatus(d.name(), d.provider.name(), d.config.priority(), d.config.weight(),
          d.config.maxConcurrent(), d.config.maxQueue(), d.inFlight(), d.waiting(), using, circuit, s.attempts(), s.successes(), s.failures(), s.p50Millis(),
          s.p95Millis(), s.lastLabel(), s.lastError(), s.lastErrorAt()));
    }
    return out;
  }

  /** The route of a model id; 404 {@code model_not_found} when it is not served here. */
  public Route route(String modelId) {
    Route route = routes.get(modelId);
    if (route == null) {
      throw new ApiException(404, "invalid_request_error", "model", "model_not_found", "The model '"
          + abbreviate(modelId) + "' does not exist or is not served by this gateway; GET /v1/models lists"
          + " the models it serves.");
    }
    return route;
  }

  /**
   * What a routed model's deployments can do, together: a feature is there when at least one of them has it
   * (the chain passes over those that lack it), and the most input images is the largest any takes.
   */
  public io.imagegate.config.Capabilities capabilities(String modelId) {
    Route route = route(modelId);
    if (!(route.provider() instanceof DeploymentChain chain)) return io.imagegate.config.Capabilities.all();
    boolean transparent = false, webp = false, streaming = false, fidelity = false;
    int maxImages = 1;
    for (Deployment d : chain.deployments()) {
      io.imagegate.config.Capabilities c = d.supports();
      transparent |= c.transparent();
      webp |= c.webp();
      streaming |= c.streaming();
      fidelity |= c.inputFidelity();
      maxImages = Math.max(maxImages, c.maxEditImages());
    }
    return new io.imagegate.config.Capabilities(java.util.List.of(), transparent, webp, streaming, fidelity, maxImages);
  }

  /** Every routed model, in the configured order. */
  public Map<String, Route> routes() { return routes; }

  /** Where each route goes, for the start banner: {@code deployment (provider)} names. */
  public static String describe(Route route) {
    if (!(route.provider() instanceof DeploymentChain chain)) return route.provider().name();
    return String.join(", ", chain.deployments().stream()
        .map(d -> d.name() + " (" + d.provider.name() + ")").toList());
  }

  private static String abbreviate(String v) { return v.length() > 64 ? v.substring(0, 64) + "…" : v; }
}
