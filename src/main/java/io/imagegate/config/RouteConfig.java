package io.imagegate.config;

import java.util.List;
import java.util.Objects;

/**
 * Where one public model id goes.
 *
 * @param id the public model id clients send
 * @param rules the catalog model id whose request rules apply (for an alias: those of the route it names)
 * @param alias the route this one stands for, or null; an alias has no deployments of its own
 * @param deployments the deployment names that serve it, in file order; empty for an alias
 */
public record RouteConfig(String id, String rules, String alias, List<String> deployments) {
  public RouteConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rules, "rules");
    deployments = List.copyOf(deployments);
  }

  /** True when this route is an alias of another. */
  public boolean isAlias() { return alias != null; }
}
