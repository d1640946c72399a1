package io.imagegate.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One upstream the gateway can send image calls to.
 *
 * @param name the deployment's name in the config file (routes refer to it)
 * @param provider the {@code provider:} name, whose adapter serves it
 * @param baseUrl where it is, without a trailing {@code /} or {@code /v1} (adapters append
 *     {@code /v1/images/...}; for Azure the resource URL, adapters append {@code /openai/deployments/...});
 *     null for a provider without one (the local engine)
 * @param apiKey the upstream key, or null (openai-compatible without key, local); never printed
 * @param model the model name sent upstream, or null to send the public model id being routed
 * @param options the provider's own settings (e.g. Azure's {@code deployment} and {@code api_version}), each
 *     given or at its default
 * @param connectTimeout how long to wait for a connection
 * @param answerTimeout how long one attempt may take, the whole answer included
 * @param weight share of traffic among deployments of the same priority, at least 1
 * @param priority tier: lower is preferred, higher tiers are fallbacks; at least 0
 * @param maxConcurrent calls in flight at once on this deployment; 0 for no cap (the default)
 * @param maxQueue calls that may wait, each within its deadline and in the order they came, for one of the
 *     {@code maxConcurrent} places (a GPU box's queue); 0 (the default): a full deployment is passed over at once
 */
public record DeploymentConfig(String name, String provider, URI baseUrl, String apiKey, String model,
    Map<String, String> options, Capabilities supports, Duration connectTimeout,
    Duration answerTimeout, int weight, int priority, int maxConcurrent, int maxQueue) {

  /** Without a wait queue. */
  public DeploymentConfig(String name, String provider, URI baseUrl, String apiKey, String model,
      Map<String, String> options, Capabilities supports, Duration connectTimeout, Duration answerTimeout, int weight,
      int priority, int maxConcurrent) {
    this(name, provider, baseUrl, apiKey, model, options, supports, connectTimeout, answerTimeout, weight, priority,
        maxConcurrent, 0);
  }

  public DeploymentConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    options = Map.copyOf(options);
    Objects.requireNonNull(supports, "supports");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(answerTimeout, "answerTimeout");
  }

  /** One of the provider's own settings, or null when it has none of that name. */
  public String option(String key) { return options.get(key); }

  /** Like the generated one, but the API key shows as {@code ***} so that logs never carry it. */
  @Override
  public String toString() {
    return "DeploymentConfig[name=" + name + ", provider=" + provider + ", baseUrl=" + baseUrl
        + ", apiKey=" + (apiKey == null ? "null" : "***") + ", model=" + model + ", options=" + options
        + ", supports=" + supports + ", connectTimeout="
        + connectTimeout + ", answerTimeout=" + answerTimeout + ", weight=" + weight + ", priority=" + priority
        + ", maxConcurrent=" + maxConcurrent + ", maxQueue=" + maxQueue + "]";
  }
}
