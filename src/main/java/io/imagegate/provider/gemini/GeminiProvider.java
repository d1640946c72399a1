package io.imagegate.provider.gemini;

import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.provider.ProviderRegistry;
import java.util.List;

/**
 * The {@code gemini} provider: the Gemini API at {@code base_url} (else {@code GEMINI_BASE_URL}, else
 * generativelanguage.googleapis.com) with an {@code x-goog-api-key}. Its image models draw one opaque image
 * per call, take up to 14 reference images and no mask, and stream nothing; {@code max_parallel} bounds the
 * single-image calls one request has in flight (default 4).
 */
public final class GeminiProvider {
  static final String MAX_PARALLEL = "max_parallel";

  public static final ProviderRules RULES = new ProviderRules("gemini",
      ProviderRules.Url.defaulted("GEMINI_BASE_URL", "https://generativelanguage.googleapis.com", "/v1beta"),
      ProviderRules.Key.required("GEMINI_API_KEY"),
      List.of(ProviderRules.Option.count(MAX_PARALLEL, 4,
          "the most single-image calls one request may have in flight")),
      new Capabilities(List.of(), false, true, false, false, 14));

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> (d, shared) ->
      new GeminiAdapter(d, new GeminiEndpoints(d)));

  private GeminiProvider() {}
}
