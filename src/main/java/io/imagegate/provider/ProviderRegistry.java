package io.imagegate.provider;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.config.ProviderKind;
import io.imagegate.http.BufferPool;
import io.imagegate.image.ImageSourceResolver;
import io.imagegate.provider.azure.AzureProvider;
import io.imagegate.provider.compatible.CompatibleProvider;
import io.imagegate.provider.local.LocalProvider;
import io.imagegate.provider.openai.OpenAiProvider;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which adapter serves each {@code provider:} kind: the one place that names the provider folders. Each
 * folder gives a {@link Factory}; a new vendor is its folder plus its line here.
 */
public final class ProviderRegistry {
  /** What adapters share: the guarded fetcher for image URLs in answers, and the relay buffers. */
  public record Shared(ImageSourceResolver downloads, BufferPool buffers) {}

  /** Builds the adapter of one deployment. */
  @FunctionalInterface
  public interface Factory {
    ImageProvider create(DeploymentConfig deployment, Shared shared);
  }

  private final Map<ProviderKind, Factory> factories;
  private final Shared shared;

  private ProviderRegistry(Map<ProviderKind, Factory> factories, Shared shared) {
    this.factories = factories;
    this.shared = shared;
  }

  /** Every provider this gateway ships. */
  public static ProviderRegistry standard(Shared shared) {
    Map<ProviderKind, Factory> f = new EnumMap<>(ProviderKind.class);
    f.put(ProviderKind.LOCAL, LocalProvider.factory());
    f.put(ProviderKind.OPENAI, OpenAiProvider.FACTORY);
    f.put(ProviderKind.AZURE, AzureProvider.FACTORY);
    f.put(ProviderKind.OPENAI_COMPATIBLE, CompatibleProvider.FACTORY);
    for (ProviderKind kind : ProviderKind.values()) {
      if (!f.containsKey(kind)) throw new IllegalStateException("no adapter for provider " + kind.wire());
    }
    return new ProviderRegistry(f, shared);
  }

  /** The adapter of a deployment. */
  public ImageProvider create(DeploymentConfig deployment) {
    return factories.get(deployment.provider()).create(deployment, shared);
  }
}
