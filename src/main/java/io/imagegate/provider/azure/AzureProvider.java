package io.imagegate.provider.azure;

import io.imagegate.provider.ProviderRegistry;
import io.imagegate.provider.openai.OpenAiAdapter;

/** The {@code azure} provider: an Azure OpenAI deployment, OpenAI's wire on Azure's paths and key header. */
public final class AzureProvider {
  public static final ProviderRegistry.Factory FACTORY = (d, shared) ->
      new OpenAiAdapter(d, new AzureEndpoints(d), shared.downloads(), shared.buffers());

  private AzureProvider() {}
}
