package io.imagegate.provider.ark;

import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.provider.ProviderRegistry;
import java.util.List;

/**
 * The {@code ark} provider: ModelArk's images API at {@code base_url} (else {@code ARK_BASE_URL}, else
 * Volcengine's ark.cn-beijing.volces.com; BytePlus is ark.ap-southeast.bytepluses.com) with a Bearer key.
 * Seedream draws one opaque JPEG per call, takes up to 14 reference images and no mask; {@code max_parallel}
 * bounds the single-image calls one request has in flight (default 4).
 */
public final class ArkProvider {
  static final String MAX_PARALLEL = "max_parallel";

  public static final ProviderRules RULES = new ProviderRules("ark",
      ProviderRules.Url.defaulted("ARK_BASE_URL", "https://ark.cn-beijing.volces.com", "/api/v3"),
      ProviderRules.Key.required("ARK_API_KEY"),
      List.of(ProviderRules.Option.count(MAX_PARALLEL, 4,
          "the most single-image calls one request may have in flight")),
      new Capabilities(List.of(), false, true, false, false, 14));

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> (d, shared) ->
      new ArkAdapter(d, new ArkEndpoints(d)));

  private ArkProvider() {}
}
