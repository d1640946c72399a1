package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
  private static GatewayConfig config(RouteConfig... routes) {
    Map<String, RouteConfig> map = new LinkedHashMap<>();
    for (RouteConfig r : routes) map.put(r.id(), r);
    Map<String, DeploymentConfig> deps = new LinkedHashMap<>();
    deps.put("z", DeploymentSection.withDefaults("z", io.imagegate.provider.ProviderRegistry.CATALOG.get("local"), null, null));
    deps.put("a", DeploymentSection.withDefaults("a", io.imagegate.provider.ProviderRegistry.CATALOG.get("local"), null, null));
    return new GatewayConfig(Settings.fromEnvironment(Map.of()), deps, map, RetryConfig.defaults(),
        BreakerConfig.defaults(), Map.of(), null);
  }

  @Test
  void resolve_followsAliases() {
    GatewayConfig c = config(new RouteConfig("x", "gpt-image-1", "y", List.of()),
        new RouteConfig("y", "gpt-image-1", null, List.of("a")));

    assertThat(c.resolve("x").id()).isEqualTo("y");
    assertThat(c.resolve("y").id()).isEqualTo("y");
    assertThat(c.resolve("nope")).isNull();
  }

  @Test
  void resolve_handBuiltLoop_returnsNullInsteadOfSpinning() {
    GatewayConfig c = config(new RouteConfig("p", "gpt-image-1", "q", List.of()),
        new RouteConfig("q", "gpt-image-1", "p", List.of()));

    assertThat(c.resolve("p")).isNull();
  }

  @Test
  void maps_keepInsertionOrder_andAreUnmodifiable() {
    GatewayConfig c = config(new RouteConfig("m2", "gpt-image-1", null, List.of("a")),
        new RouteConfig("m1", "gpt-image-1", null, List.of("z")));

    assertThat(c.deployments().keySet()).containsExactly("z", "a");
    assertThat(c.routes().keySet()).containsExactly("m2", "m1");
    assertThatThrownBy(() -> c.routes().clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
