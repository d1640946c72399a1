package io.imagegate.provider.comfyui;

import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.provider.ProviderRegistry;
import java.util.List;
import java.util.Map;

/**
 * The {@code comfyui} provider: a ComfyUI server at {@code base_url} (no key of its own; an {@code api_key}
 * goes as a bearer token to a reverse proxy in front of it), drawing with the operator's API-format
 * {@code workflow} (a path, relative to the config file's folder or absolute) and its {@code nodes} map
 * ({@link ComfyUiNodeMap}), both checked while the config file is read. {@code quality_steps} maps
 * low/medium/high to steps (default 12/20/30), {@code max_batch} caps {@code n} (default 4),
 * {@code max_side} the width and height (default 2048), {@code poll_interval_ms} the wait between two polls
 * of the history (default 500).
 */
public final class ComfyUiProvider {
  static final String WORKFLOW = ComfyUiWorkflow.KEY;
  static final String NODES = ComfyUiNodeMap.KEY;
  static final String QUALITY_STEPS = "quality_steps";
  static final String MAX_BATCH = "max_batch";
  static final String MAX_SIDE = "max_side";
  static final String POLL_INTERVAL_MS = "poll_interval_ms";

  public static final ProviderRules RULES = new ProviderRules("comfyui",
      ProviderRules.Url.required("", "the ComfyUI server's URL, e.g. http://gpu-box:8188"),
      ProviderRules.Key.optional(),
      List.of(ProviderRules.Option.path(WORKFLOW, "an API-format workflow file (Save (API) in ComfyUI)"),
          ProviderRules.Option.tree(NODES, true, "a node map, e.g. nodes: {prompt: {node: \"6\", input: text},"
              + " output: {node: \"9\"}}"),
          ProviderRules.Option.tree(QUALITY_STEPS, false, "steps per quality, e.g. {low: 12, medium: 20, high: 30}"),
          ProviderRules.Option.count(MAX_BATCH, 4, "the most images one request may ask for"),
          ProviderRules.Option.count(MAX_SIDE, 2048, "the longest width or height"),
          ProviderRules.Option.count(POLL_INTERVAL_MS, 500, "milliseconds between two polls of the history")),
      new Capabilities(List.of(), false, true, false, false, 1), ComfyUiProvider::problem);

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> (d, shared) ->
      new ComfyUiAdapter(d, ComfyUiWorkflow.load(d.options())));

  private ComfyUiProvider() {}

  /** The workflow against its node map, and the steps table's values. */
  private static ProviderRules.Problem problem(Map<String, String> settings) {
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (!e.getKey().startsWith(QUALITY_STEPS + ".")) continue;
      String quality = e.getKey().substring(QUALITY_STEPS.length() + 1);
      if (!ComfyUiAdapter.DEFAULT_STEPS.containsKey(quality)) {
        return new ProviderRules.Problem(QUALITY_STEPS, "expected low, medium and high, got '" + quality + "'");
      }
      if (!e.getValue().matches("[1-9][0-9]{0,3}")) {
        return new ProviderRules.Problem(e.getKey(), "expected a whole number of steps from 1 to 9999, got '"
            + e.getValue() + "'");
      }
    }
    return ComfyUiNodeMap.problem(settings);
  }
}
