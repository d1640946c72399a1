package io.imagegate.provider.dashscope;

import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.provider.ProviderRegistry;
import java.util.List;

/**
 * The {@code dashscope} provider: Alibaba Model Studio at {@code base_url} (else {@code DASHSCOPE_BASE_URL},
 * else Singapore's dashscope-intl.aliyuncs.com; Beijing is dashscope.aliyuncs.com, with its own keys) with a
 * Bearer key. Qwen-Image draws one opaque PNG per call, its edit models take 1–3 input images, none a mask.
 * {@code api} is {@code sync} (default: the multimodal-generation endpoint every model has) or {@code async}
 * (tasks, which only qwen-image and qwen-image-plus have); {@code max_parallel} bounds the calls one request
 * has in flight (default 4), {@code poll_interval_ms} the wait between two polls of a task (default 2000).
 */
public final class DashscopeProvider {
  static final String API = "api";
  static final String MAX_PARALLEL = "max_parallel";
  static final String POLL_INTERVAL_MS = "poll_interval_ms";

  public static final ProviderRules RULES = new ProviderRules("dashscope",
      ProviderRules.Url.defaulted("DASHSCOPE_BASE_URL", "https://dashscope-intl.aliyuncs.com", "/api/v1"),
      ProviderRules.Key.required("DASHSCOPE_API_KEY"),
      List.of(new ProviderRules.Option(API, null, "sync", "sync or async: which DashScope API draws"),
          ProviderRules.Option.count(MAX_PARALLEL, 4, "the most calls one request may have in flight"),
          ProviderRules.Option.count(POLL_INTERVAL_MS, 2000, "milliseconds between two polls of a task")),
      new Capabilities(List.of(), false, true, false, false, 3));

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> (d, shared) ->
      new DashscopeAdapter(d, new DashscopeEndpoints(d), shared.downloads()));

  private DashscopeProvider() {}
}
