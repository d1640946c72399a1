package io.imagegate.provider;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.config.ProviderCatalog;
import io.imagegate.config.ProviderRules;
import io.imagegate.http.BufferPool;
import io.imagegate.image.ImageSourceResolver;
import io.imagegate.provider.ark.ArkProvider;
import io.imagegate.provider.automatic1111.Automatic1111Provider;
import io.imagegate.provider.bfl.BflProvider;
import io.imagegate.provider.comfyui.ComfyUiProvider;
import io.imagegate.provider.dashscope.DashscopeProvider;
import io.imagegate.provider.azure.AzureProvider;
import io.imagegate.provider.compatible.CompatibleProvider;
import io.imagegate.provider.gemini.GeminiProvider;
import io.imagegate.provider.local.LocalProvider;
import io.imagegate.provider.openai.OpenAiProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The providers this gateway ships: the one place that names the provider folders. Each folder declares one
 * {@link Type}, its config rules beside the factory of its adapters, so a new vendor is its folder plus its
 * line in {@link #SHIPPED}; nothing in {@code config/} or the engine names a provider.
 */
public final class ProviderRegistry {
  /** What adapters share: the guarded fetcher for image URLs in answers, and the relay buffers. */
  public record Shared(ImageSourceResolver downloads, BufferPool buffers) {}

  /** Builds the adapter of one deployment. */
  @FunctionalInterface
  public interface Factory {
    ImageProvider create(DeploymentConfig deployment, Shared shared);
  }

  /**
   * One provider folder's entry.
   *
   * @param rules what the config file knows of it: its name, base URL, key, own settings and capabilities
   * @param factory a new factory of its adapters, once per registry (the local engine shares one instance)
   */
  public record Type(ProviderRules rules, Supplier<Factory> factory) {}

  /** In the order error messages list them. */
  private static final List<Type> SHIPPED = List.of(OpenAiProvider.TYPE, AzureProvider.TYPE,
      CompatibleProvider.TYPE, GeminiProvider.TYPE, ArkProvider.TYPE, BflProvider.TYPE, DashscopeProvider.TYPE,
      Automatic1111Provider.TYPE, ComfyUiProvider.TYPE, LocalProvider.TYPE);

  /** The rules of every shipped provider, for the config loader. */
  public static final ProviderCatalog CATALOG = new ProviderCatalog(SHIPPED.stream().map(Type::rules).toList());

  private final Map<String, Factory> factories;
  private final Shared shared;

  private ProviderRegistry(Map<String, Factory> factories, Shared shared) {
    this.factories = factories;
    this.shared = shared;
  }

  /** Every provider this gateway ships. */
  public static ProviderRegistry standard(Shared shared) {
    Map<String, Factory> f = new LinkedHashMap<>();
    for (Type type : SHIPPED) f.put(type.rules().name(), type.factory().get());
    return new ProviderRegistry(f, shared);
  }

  /** The adapter of a deployment. */
  public ImageProvider create(DeploymentConfig deployment) {
    Factory factory = factories.get(deployment.provider());
    if (factory == null) throw new IllegalArgumentException("no provider named " + deployment.provider());
    return factory.create(deployment, shared);
  }
}
