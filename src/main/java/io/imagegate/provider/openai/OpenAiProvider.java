package io.imagegate.provider.openai;

import io.imagegate.provider.ProviderRegistry;

/** The {@code openai} provider: OpenAI's images API at {@code base_url} with a Bearer key. */
public final class OpenAiProvider {
  public static final ProviderRegistry.Factory FACTORY = (d, shared) ->
      new OpenAiAdapter(d, new OpenAiEndpoints(d), shared.downloads(), shared.buffers());

  private OpenAiProvider() {}
}
