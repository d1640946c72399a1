package io.imagegate.provider.automatic1111;

import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.config.ProviderRules.Option;
import io.imagegate.provider.ProviderRegistry;
import java.util.List;

/**
 * The {@code automatic1111} provider: a WebUI (or Forge) started with {@code --api} at {@code base_url}, with
 * HTTP Basic {@code api_auth: user:password} when it runs with {@code --api-auth}. Its own settings: the size
 * limits ({@code size_multiple} 8, {@code max_side} 2048, {@code default_size} 1024x1024 for {@code auto}),
 * {@code max_n} (8) and {@code max_batch} (4, the most images of one {@code batch_size}; more go to
 * {@code n_iter}), the steps per quality ({@code steps_low} 20, {@code steps_medium} 30, {@code steps_high} 40,
 * {@code steps_auto} 30), {@code progress_interval_ms} (500) and {@code passthrough}, the comma-separated
 * A1111 fields a client may add ({@link Passthrough}).
 */
public final class Automatic1111Provider {
  static final String API_AUTH = "api_auth";
  static final String PASSTHROUGH = "passthrough";
  static final String DEFAULT_SIZE = "default_size";
  static final String SIZE_MULTIPLE = "size_multiple";
  static final String MAX_SIDE = "max_side";
  static final String MAX_N = "max_n";
  static final String MAX_BATCH = "max_batch";
  static final String PROGRESS_INTERVAL_MS = "progress_interval_ms";
  static final String STEPS = "steps_"; // + low, medium, high, auto

  public static final ProviderRules RULES = new ProviderRules("automatic1111",
      ProviderRules.Url.required("/sdapi/v1", "the WebUI's address, e.g. http://gpu-box:7860"),
      ProviderRules.Key.none(),
      List.of(new Option(API_AUTH, null, "", "user:password of the WebUI's --api-auth"),
          new Option(PASSTHROUGH, null, "", "the A1111 fields a client may add, comma-separated"),
          new Option(DEFAULT_SIZE, null, "1024x1024", "the WxH drawn for size auto"),
          Option.count(SIZE_MULTIPLE, 8, "what width and height must be multiples of"),
          Option.count(MAX_SIDE, 2048, "the largest width or height"),
          Option.count(MAX_N, 8, "the most images one request may ask for"),
          Option.count(MAX_BATCH, 4, "the most images of one batch (batch_size); more are drawn as n_iter batches"),
          Option.count(PROGRESS_INTERVAL_MS, 500, "milliseconds between two polls of /progress while streaming"),
          Option.count(STEPS + "low", 20, "steps for quality low"),
          Option.count(STEPS + "medium", 30, "steps for quality medium"),
          Option.count(STEPS + "high", 40, "steps for quality high"),
          Option.count(STEPS + "auto", 30, "steps for quality auto or none")),
      new Capabilities(List.of(), false, true, true, false, 1));

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> (d, shared) ->
      new Automatic1111Adapter(d, new Automatic1111Settings(d), new Automatic1111Endpoints(d)));

  private Automatic1111Provider() {}
}
