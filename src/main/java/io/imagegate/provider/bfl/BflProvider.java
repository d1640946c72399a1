package io.imagegate.provider.bfl;

import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.provider.ProviderRegistry;
import java.util.List;

/**
 * The {@code bfl} provider: the Black Forest Labs API at {@code base_url} (else {@code BFL_BASE_URL}, else
 * api.bfl.ai; regional api.eu.bfl.ai and api.us.bfl.ai) with an {@code x-key}. FLUX draws one opaque PNG or
 * JPEG per task, takes up to 4 reference images ({@code input_image}, {@code input_image_2…_4}) and no mask;
 * {@code max_parallel} bounds the tasks one request has in flight (default 4), {@code poll_interval_ms} the
 * wait between two polls of a task (default 500).
 */
public final class BflProvider {
  static final String MAX_PARALLEL = "max_parallel";
  static final String POLL_INTERVAL_MS = "poll_interval_ms";

  public static final ProviderRules RULES = new ProviderRules("bfl",
      ProviderRules.Url.defaulted("BFL_BASE_URL", "https://api.bfl.ai", "/v1"),
      ProviderRules.Key.required("BFL_API_KEY"),
      List.of(ProviderRules.Option.count(MAX_PARALLEL, 4, "the most tasks one request may have in flight"),
          ProviderRules.Option.count(POLL_INTERVAL_MS, 500, "milliseconds between two polls of a task")),
      new Capabilities(List.of(), false, true, false, false, 4));

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> (d, shared) ->
      new BflAdapter(d, new BflEndpoints(d), shared.downloads()));

  private BflProvider() {}
}
