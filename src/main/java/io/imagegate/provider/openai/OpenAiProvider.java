package io.imagegate.provider.openai;

import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.provider.ProviderRegistry;
import java.util.List;

/**
 * The {@code openai} provider: OpenAI's images API at {@code base_url} (else {@code OPENAI_BASE_URL}, else
 * api.openai.com) with a Bearer key; it can do everything the API has.
 */
public final class OpenAiProvider {
  public static final ProviderRules RULES = new ProviderRules("openai",
      ProviderRules.Url.defaulted("OPENAI_BASE_URL", "https://api.openai.com", "/v1"),
      ProviderRules.Key.required("OPENAI_API_KEY"), List.of(), Capabilities.all());

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> (d, shared) ->
      new OpenAiAdapter(d, new OpenAiEndpoints(d), shared.downloads(), shared.buffers()));

  private OpenAiProvider() {}
}
