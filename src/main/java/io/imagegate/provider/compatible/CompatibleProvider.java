package io.imagegate.provider.compatible;

import io.imagegate.provider.ProviderRegistry;
import io.imagegate.provider.openai.OpenAiAdapter;

/** The {@code openai-compatible} provider: any server speaking OpenAI's images API, key optional. */
public final class CompatibleProvider {
  public static final ProviderRegistry.Factory FACTORY = (d, shared) ->
      new OpenAiAdapter(d, CompatibleEndpoints.of(d), shared.downloads(), shared.buffers());

  private CompatibleProvider() {}
}
