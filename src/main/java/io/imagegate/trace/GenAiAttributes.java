package io.imagegate.trace;

import io.imagegate.api.Operation;
import io.opentelemetry.api.common.AttributeKey;
import java.util.Set;

/**
 * Every attribute name and well-known value the gateway's spans carry, in one place. The GenAI semantic
 * conventions are still at development stability and may rename what they define: a rename is a change here
 * only. Names under {@code imagegate.*} are the gateway's own.
 *
 * <p>Nothing here ever holds a key's secret, a prompt, an image, a user or a URL: routes are templates, the
 * key is its id, an upstream is its host and port.
 */
final class GenAiAttributes {
  private GenAiAttributes() {}

  // HTTP and the network (stable conventions)
  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // GenAI (development conventions)
  static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> REQUEST_CHOICE_COUNT = AttributeKey.longKey("gen_ai.request.choice.count");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

  // the gateway's own
  static final AttributeKey<Long> TEXT_INPUT_TOKENS = AttributeKey.longKey("imagegate.usage.text_input_tokens");
  static final AttributeKey<Long> IMAGE_INPUT_TOKENS = AttributeKey.longKey("imagegate.usage.image_input_tokens");
  static final AttributeKey<Long> IMAGE_OUTPUT_TOKENS = AttributeKey.longKey("imagegate.usage.image_output_tokens");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("imagegate.request_id");
  static final AttributeKey<String> KEY_ID = AttributeKey.stringKey("imagegate.key.id");
  /** The provider kind as {@code x-imagegate-provider} names it ({@code openai}, {@code azure}, …). */
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("imagegate.provider");
  static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("imagegate.deployment");
  /** The public model id whose route the attempt serves. */
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("imagegate.route");
  /** {@code first}, {@code retry} (the same deployment again) or {@code fallback} (a further deployment). */
  static final AttributeKey<String> ATTEMPT = AttributeKey.stringKey("imagegate.attempt");
  /** An attempt's failure as the attempts header shows it: the upstream's status, or {@code timeout}, … */
  static final AttributeKey<String> ATTEMPT_OUTCOME = AttributeKey.stringKey("imagegate.attempt.outcome");
  /** How many upstream attempts the call made. */
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("imagegate.attempts");
  static final AttributeKey<Long> IMAGES = AttributeKey.longKey("imagegate.images");
  static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("imagegate.cost_usd");
  static final AttributeKey<String> IMAGE_SIZE = AttributeKey.stringKey("imagegate.image.size");
  static final AttributeKey<String> IMAGE_QUALITY = AttributeKey.stringKey("imagegate.image.quality");

  /** The event of an answer replayed for a repeated {@code Idempotency-Key}. */
  static final String IDEMPOTENT_REPLAY = "imagegate.idempotent_replay";

  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
      "TRACE", "PATCH");

  /** {@code gen_ai.operation.name}: the GenAI conventions' names for the two images operations. */
  static String operation(Operation operation) {
    return operation == Operation.EDIT ? "image_edit" : "image_generation";
  }

  /** The same from the ledger's endpoint ({@code generations} or {@code edits}). */
  static String operation(String endpoint) {
    return operation("edits".equals(endpoint) ? Operation.EDIT : Operation.GENERATION);
  }

  /**
   * {@code gen_ai.provider.name} of a provider kind: the conventions' well-known value where there is one
   * ({@code openai}, {@code azure.ai.openai}), else the gateway's own name for it.
   */
  static String provider(String kind) {
    return switch (kind) {
      case "azure" -> "azure.ai.openai";
      default -> kind;
    };
  }

  /** {@code http.request.method}: a known method as it is, any other as {@code _OTHER}. */
  static String method(String method) { return METHODS.contains(method) ? method : "_OTHER"; }
}
