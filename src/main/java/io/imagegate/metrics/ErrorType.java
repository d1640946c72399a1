package io.imagegate.metrics;

import java.util.Set;

/**
 * The closed list of error types, one per answered failure: who caused it ({@code caller_*}: the request;
 * {@code policy_*}: the gateway's own rules; {@code provider_*}: the upstream; {@code gateway_*}: this
 * process) and what it was. Our own 429 is {@code policy_rate_limited}, an upstream's is
 * {@code provider_rate_limited}: the two never merge.
 */
public enum ErrorType {
  NONE("none"),
  CALLER_INVALID_REQUEST("caller_invalid_request"),
  CALLER_UNKNOWN_MODEL("caller_unknown_model"),
  CALLER_TIMEOUT("caller_timeout"),
  CALLER_CANCELLED("caller_cancelled"),
  POLICY_AUTH_FAILED("policy_auth_failed"),
  POLICY_MODEL_FORBIDDEN("policy_model_forbidden"),
  POLICY_RATE_LIMITED("policy_rate_limited"),
  POLICY_BUDGET_EXCEEDED("policy_budget_exceeded"),
  POLICY_IDEMPOTENCY_CONFLICT("policy_idempotency_conflict"),
  PROVIDER_CONTENT_POLICY("provider_content_policy"),
  PROVIDER_REFUSED("provider_refused"),
  PROVIDER_RATE_LIMITED("provider_rate_limited"),
  PROVIDER_ERROR("provider_error"),
  PROVIDER_TIMEOUT("provider_timeout"),
  GATEWAY_OVERLOADED("gateway_overloaded"),
  GATEWAY_INTERNAL("gateway_internal"),
  OTHER("_other");

  /** The codes of the gateway's own refusals of a request's content. */
  private static final Set<String> CALLER_CODES = Set.of("invalid_value", "missing_required_parameter",
      "unknown_parameter", "invalid_image", "invalid_multipart", "request_too_large", "malformed_request",
      "unsupported_media_type", "invalid_idempotency_key", "invalid_input_fidelity_model", "method_not_allowed",
      "not_found", "key_not_found", "request_not_found", "expired", "request_headers_too_large", "url_too_long",
      "stream_not_async", "job_not_found", "job_finished", "job_result_gone");

  private final String label;

  ErrorType(String label) { this.label = label; }

  /** The value of the {@code error_type} label. */
  public String label() { return label; }

  /**
   * The type of an answer with this status and error code (the code our error object or the upstream's
   * carried; null for none).
   */
  public static ErrorType of(int status, String code) {
    if (status < 400) return NONE;
    String c = code == null ? "" : code;
    return switch (c) {
      case "model_not_found" -> CALLER_UNKNOWN_MODEL;
      case "request_timeout" -> CALLER_TIMEOUT;
      case "client_closed_request" -> CALLER_CANCELLED;
      case "invalid_api_key", "invalid_signature", "invalid_session", "origin_mismatch" -> POLICY_AUTH_FAILED;
      case "model_not_allowed", "scope_required", "admin_required" -> POLICY_MODEL_FORBIDDEN;
      case "rate_limit_exceeded", "too_many_queued_jobs" -> POLICY_RATE_LIMITED;
      case "insufficient_quota" -> POLICY_BUDGET_EXCEEDED;
      case "idempotency_key_reused", "idempotency_key_in_use" -> POLICY_IDEMPOTENCY_CONFLICT;
      case "moderation_blocked", "content_policy_violation" -> PROVIDER_CONTENT_POLICY;
      case "upstream_timeout" -> PROVIDER_TIMEOUT;
      case "upstream_error" -> PROVIDER_ERROR;
      case "upstream_rate_limited" -> PROVIDER_RATE_LIMITED;
      case "gateway_overloaded", "deployments_busy", "shutting_down", "counters_unavailable" -> GATEWAY_OVERLOADED;
      case "internal_error", "image_store_error" -> GATEWAY_INTERNAL;
      default -> {
        if (CALLER_CODES.contains(c)) yield CALLER_INVALID_REQUEST;
        // any other code on a 4xx is an upstream's refusal relayed as it came (ours all have their codes above)
        if (status == 429) yield PROVIDER_RATE_LIMITED;
        if (status < 500 && !c.isEmpty()) yield PROVIDER_REFUSED;
        // no code: our unparsable body (400) or unknown URL (404), as OpenAI answers them
        if (status < 500) yield CALLER_INVALID_REQUEST;
        yield status < 600 ? GATEWAY_INTERNAL : OTHER;
      }
    };
  }
}
