package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Route errors and aliases; lines count from 1 at "deployments:". */
class RouteSectionTest {
  @TempDir Path dir;

  private static final String DEPLOYMENTS = """
      deployments:
        main: {provider: local}
        backup: {provider: local}
      """;

  private String error(String routes) {
    return ConfigFiles.error(dir, DEPLOYMENTS + routes, Map.of()).getMessage();
  }

  private String at(int line, String path) { return ConfigFiles.at(dir, line, path); }

  @Test
  void load_routeNamingUnknownDeployment_suggestsTheClosest() {
    assertThat(error("""
        routes:
          gpt-image-1:
            deployments:
              - main
              - backpu
        """)).isEqualTo(at(8, "routes.gpt-image-1.deployments[1]") + "no deployment named \"backpu\"; did you mean \"backup\"?");
  }

  @Test
  void load_routeListingADeploymentTwice_isAnError() {
    assertThat(error("routes:\n  gpt-image-1: {deployments: [main, main]}\n"))
        .isEqualTo(at(5, "routes.gpt-image-1.deployments[1]") + "deployment \"main\" is listed twice");
  }

  @Test
  void load_routeWithNeitherDeploymentsNorAlias_isAnError() {
    assertThat(error("routes:\n  gpt-image-1:\n    rules: gpt-image-1\n")).isEqualTo(at(5, "routes.gpt-image-1.deployments")
        + "missing; a route needs deployments: [<name>, ...] or alias: <route>");
  }

  @Test
  void load_routeWithEmptyDeploymentList_isAnError() {
    assertThat(error("routes:\n  gpt-image-1:\n    deployments: []\n"))
        .isEqualTo(at(6, "routes.gpt-image-1.deployments") + "expected a list of at least one deployment name, got []");
    assertThat(error("routes:\n  gpt-image-1:\n    deployments:\n"))
        .isEqualTo(at(6, "routes.gpt-image-1.deployments") + "expected a list of at least one deployment name");
  }

  @Test
  void load_emptyRoutes_isAnError() {
    assertThat(error("routes: {}\n")).isEqualTo(ConfigFiles.dir(dir) + " line 4: routes: expected a mapping of at"
        + " least one route (public model id -> deployments: [...] or alias: <route>), got an empty mapping");
    assertThat(error("routes:\n")).endsWith("got nothing");
  }

  @Test
  void load_deploymentsWithoutRoutes_isAnError() {
    assertThat(error("")).startsWith(at(1, "routes") + "missing; expected a mapping of at least one route");
  }

  @Test
  void load_unknownRouteIdWithoutRules_isAnError() {
    assertThat(error("routes:\n  my-model:\n    deployments: [main]\n")).startsWith(at(5, "routes.my-model")
        + "not a known model id, so set rules: to the model whose request rules apply (one of gpt-image-2,");
    assertThat(error("routes:\n  gpt-image-1-mni:\n    deployments: [main]\n"))
        .endsWith("; did you mean \"gpt-image-1-mini\"?");
  }

  @Test
  void load_unknownRules_isAnError() {
    assertThat(error("routes:\n  my-model:\n    rules: dall-e-4\n    deployments: [main]\n"))
        .startsWith(at(6, "routes.my-model.rules") + "unknown model id \"dall-e-4\"; expected one of gpt-image-2,")
        .endsWith("did you mean \"dall-e-3\"?");
  }

  @Test
  void load_aliasToMissingRoute_isAnError() {
    assertThat(error("routes:\n  gpt-image-1: {deployments: [main]}\n  latest:\n    alias: gpt-image-2\n"))
        .isEqualTo(at(7, "routes.latest.alias") + "no route named \"gpt-image-2\"; did you mean \"gpt-image-1\"?");
  }

  @Test
  void load_aliasLoop_isAnError() {
    assertThat(error("""
        routes:
          a:
            alias: b
          b:
            alias: c
          c:
            alias: a
        """)).isEqualTo(at(6, "routes.a.alias") + "alias loop: a -> b -> c -> a");
    assertThat(error("routes:\n  a: {alias: a}\n")).isEqualTo(at(5, "routes.a.alias") + "alias loop: a -> a");
  }

  @Test
  void load_aliasWithDeploymentsOrRules_isAnError() {
    assertThat(error("routes:\n  gpt-image-1: {deployments: [main]}\n  x:\n    alias: gpt-image-1\n    deployments: [main]\n"))
        .isEqualTo(at(8, "routes.x.deployments") + "an alias has no deployments of its own");
    assertThat(error("routes:\n  gpt-image-1: {deployments: [main]}\n  x:\n    alias: gpt-image-1\n    rules: dall-e-2\n"))
        .isEqualTo(at(8, "routes.x.rules") + "an alias takes its rules from the route it names");
  }

  @Test
  void load_aliasChain_resolvesToTheRouteWithDeploymentsAndTakesItsRules() {
    GatewayConfig c = ConfigFiles.load(dir, DEPLOYMENTS + """
        routes:
          newest: {alias: latest}
          latest: {alias: mine}
          mine: {rules: dall-e-3, deployments: [backup, main]}
        """, Map.of());

    assertThat(c.routes().keySet()).containsExactly("newest", "latest", "mine");
    assertThat(c.routes().get("newest")).isEqualTo(new RouteConfig("newest", "dall-e-3", "latest", List.of()));
    assertThat(c.resolve("newest").id()).isEqualTo("mine");
    assertThat(c.resolve("newest").deployments()).containsExactly("backup", "main");
    assertThat(c.resolve("mine").id()).isEqualTo("mine");
    assertThat(c.resolve("unknown")).isNull();
  }

  @Test
  void load_routeNotAMapping_isAnError() {
    assertThat(error("routes:\n  gpt-image-1: [main]\n")).isEqualTo(at(5, "routes.gpt-image-1")
        + "expected a mapping with deployments: [...] or alias: <route>, got a list");
  }
}
