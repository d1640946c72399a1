package io.imagegate.config;

import io.imagegate.api.ModelCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code routes:} and checks its references: deployments that exist, rules of a known model, aliases
 * that end at a route with deployments.
 */
final class RouteSection {
  static final List<String> KEYS = List.of("deployments", "rules", "alias");
  // feeds "did you mean" and the help text
  private static final List<String> MODEL_IDS = ModelCatalog.ids();

  private RouteSection() {}

  /** The routes of {@code routes} (a present, non-null mapping), in file order. */
  static Map<String, RouteConfig> read(String source, YamlNode.Mapping routes, Map<String, DeploymentConfig> deps) {
    Map<String, RouteConfig> out = new LinkedHashMap<>();
    Map<String, Section> sections = new LinkedHashMap<>();
    for (YamlNode.Entry e : routes.entries().values()) {
      if (!(e.value() instanceof YamlNode.Mapping m)) {
        throw new ConfigException(source, e.keyLine(), YamlNode.child(routes.path(), e.key()),
            "expected a mapping with deployments: [...] or alias: <route>, got " + e.value().describe());
      }
      Section r = Section.of(source, m, KEYS);
      sections.put(e.key(), r);
      out.put(e.key(), route(e.key(), r, deps));
    }
    // aliases last: their target may come later in the file, and they take its rules
    for (Map.Entry<String, RouteConfig> e : out.entrySet()) {
      RouteConfig route = e.getValue();
      if (route.isAlias()) e.setValue(new RouteConfig(route.id(), target(route, sections, out).rules(),
          route.alias(), List.of()));
    }
    return out;
  }

  private static RouteConfig route(String id, Section r, Map<String, DeploymentConfig> deps) {
    String alias = r.string("alias");
    if (alias != null) {
      if (r.has("deployments")) throw r.error(r.node("deployments"), "an alias has no deployments of its own");
      if (r.has("rules")) throw r.error(r.node("rules"), "an alias takes its rules from the route it names");
      return new RouteConfig(id, alias, alias, List.of()); // rules filled in once the target is known
    }
    String rules = r.string("rules");
    if (rules == null && !known(id)) {
      throw r.error("not a known model id, so set rules: to the model whose request rules apply (one of "
          + String.join(", ", MODEL_IDS) + ")" + Suggest.hint(id, MODEL_IDS));
    }
    if (rules != null && !known(rules)) {
      throw r.error(r.node("rules"), "unknown model id " + r.node("rules").describe() + "; expected one of "
          + String.join(", ", MODEL_IDS) + Suggest.hint(rules, MODEL_IDS));
    }
    if (r.entries().containsKey("deployments") && !r.has("deployments")) {
      throw r.error(r.entries().get("deployments").value(), "expected a list of at least one deployment name");
    }
    YamlNode.Sequence list = r.list("deployments");
    if (list == null) throw r.missing("deployments", "; a route needs deployments: [<name>, ...] or alias: <route>");
    if (list.items().isEmpty()) throw r.error(list, "expected a list of at least one deployment name, got []");
    List<String> names = new ArrayList<>();
    for (YamlNode item : list.items()) {
      String name = r.text(item).strip();
      if (!deps.containsKey(name)) {
        throw r.error(item, "no deployment named " + item.describe() + Suggest.hint(name, deps.keySet()));
      }
      if (names.contains(name)) throw r.error(item, "deployment " + item.describe() + " is listed twice");
      names.add(name);
    }
    return new RouteConfig(id, rules == null ? id : rules, null, names);
  }

  /** The route with deployments that an alias ends at, or an error at the alias that breaks the chain. */
  private static RouteConfig target(RouteConfig start, Map<String, Section> sections, Map<String, RouteConfig> all) {
    List<String> chain = new ArrayList<>(List.of(start.id()));
    RouteConfig route = start;
    while (route.isAlias()) {
      Section at = sections.get(route.id());
      RouteConfig next = all.get(route.alias());
      if (next == null) {
        throw at.error(at.node("alias"), "no route named " + at.node("alias").describe()
            + Suggest.hint(route.alias(), all.keySet()));
      }
      if (chain.contains(next.id())) {
        chain.add(next.id());
        Section first = sections.get(start.id());
        throw first.error(first.node("alias"), "alias loop: " + String.join(" -> ", chain));
      }
      chain.add(next.id());
      route = next;
    }
    return route;
  }

  private static boolean known(String id) { return ModelCatalog.find(id).isPresent(); }
}
