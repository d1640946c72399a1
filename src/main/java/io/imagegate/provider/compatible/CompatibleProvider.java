package io.imagegate.provider.compatible;

import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.provider.ProviderRegistry;
import io.imagegate.provider.openai.OpenAiAdapter;
import java.util.List;

/**
 * The {@code openai-compatible} provider: any server speaking OpenAI's images API (LocalAI, another
 * gateway) at its {@code base_url}, key optional; by default without streaming and {@code input_fidelity},
 * which most such servers lack.
 */
public final class CompatibleProvider {
  public static final ProviderRules RULES = new ProviderRules("openai-compatible",
      ProviderRules.Url.required("/v1", "the server's URL"), ProviderRules.Key.optional(), List.of(),
      new Capabilities(List.of(), true, true, false, false, 16));

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> (d, shared) ->
      new OpenAiAdapter(d, CompatibleEndpoints.of(d), shared.downloads(), shared.buffers()));

  private CompatibleProvider() {}
}
