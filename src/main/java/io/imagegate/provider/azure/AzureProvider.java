package io.imagegate.provider.azure;

import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.provider.ProviderRegistry;
import io.imagegate.provider.openai.OpenAiAdapter;
import java.util.List;

/**
 * The {@code azure} provider: an Azure OpenAI deployment, OpenAI's wire on Azure's paths and key header. It
 * needs the resource URL, a key and the Azure deployment name; {@code api_version} defaults to
 * {@code OPENAI_API_VERSION}, else {@value #API_VERSION}. Azure has no WebP output.
 */
public final class AzureProvider {
  static final String API_VERSION = "2025-04-01-preview";
  static final String DEPLOYMENT = "deployment";
  static final String VERSION = "api_version";

  public static final ProviderRules RULES = new ProviderRules("azure",
      ProviderRules.Url.required("/openai", "the resource URL, e.g. https://<resource>.openai.azure.com"),
      ProviderRules.Key.required("AZURE_OPENAI_API_KEY"),
      List.of(new ProviderRules.Option(DEPLOYMENT, null, null, "the Azure deployment name"),
          new ProviderRules.Option(VERSION, "OPENAI_API_VERSION", API_VERSION, "the Azure api-version")),
      new Capabilities(List.of(), true, false, true, true, 16));

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> (d, shared) ->
      new OpenAiAdapter(d, new AzureEndpoints(d), shared.downloads(), shared.buffers()));

  private AzureProvider() {}
}
