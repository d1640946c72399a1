package io.imagegate.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The whole configuration: basic settings, upstream deployments, routes, retry and breaker policy. Built by
 * {@link ConfigLoader}, which guarantees that every route's deployments exist and every alias chain ends at a
 * route with deployments.
 *
 * @param deployments by name, in file order (unmodifiable)
 * @param routes by public model id, in file order (unmodifiable)
 * @param prices price overrides by public model id (unmodifiable; models not named keep spec §7 prices)
 * @param source the config file it was read from, or null when there was none
 */
public record GatewayConfig(Settings settings, Map<String, DeploymentConfig> deployments,
    Map<String, RouteConfig> routes, RetryConfig retry, BreakerConfig breaker, Map<String, PriceConfig> prices,
    Path source) {

  public GatewayConfig {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(breaker, "breaker");
    // LinkedHashMap, not Map.copyOf: the order of the file is the order of /v1/models and of fallbacks
    deployments = Collections.unmodifiableMap(new LinkedHashMap<>(deployments));
    routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    prices = Map.copyOf(prices);
  }

  /**
   * Follows aliases to the route that has deployments.
   *
   * @return that route, or null when {@code id} is not routed (or, in a config not built by the loader, when
   *     an alias points nowhere or loops)
   */
  public RouteConfig resolve(String id) {
    Set<String> seen = new HashSet<>();
    RouteConfig route = routes.get(id);
    while (route != null && route.isAlias()) {
      if (!seen.add(route.id())) return null;
      route = routes.get(route.alias());
    }
    return route;
  }

  /** Like the generated one, but without the master key (and deployments hide their API keys). */
  @Override
  public String toString() {
    return "GatewayConfig[settings=" + settings + ", deployments="
        + deployments.values() + ", routes=" + routes.values() + ", retry=" + retry + ", breaker=" + breaker
        + ", prices=" + prices + ", source=" + source + "]";
  }
}
