package io.imagegate.provider.compatible;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.provider.openai.OpenAiEndpoints;
import io.imagegate.provider.openai.Endpoints;

/**
 * Any OpenAI-compatible server (LocalAI, another gateway, another imagegate) by base URL: OpenAI's paths,
 * Bearer auth only when a key is configured, shown as {@code openai-compatible}.
 */
public final class CompatibleEndpoints {
  private CompatibleEndpoints() {}

  public static Endpoints of(DeploymentConfig deployment) {
    return new OpenAiEndpoints(deployment, "openai-compatible");
  }
}
