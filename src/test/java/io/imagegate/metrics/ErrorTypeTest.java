package io.imagegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorTypeTest {
  @Test
  void of_namesWhoCausedTheFailure_andOur429NeverMergesWithAnUpstreams() {
    assertThat(ErrorType.of(200, null)).isEqualTo(ErrorType.NONE);
    assertThat(ErrorType.of(400, "invalid_value")).isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(400, null)).as("an unparsable body").isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(413, "request_too_large")).isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(404, "model_not_found")).isEqualTo(ErrorType.CALLER_UNKNOWN_MODEL);
    assertThat(ErrorType.of(499, "client_closed_request")).isEqualTo(ErrorType.CALLER_CANCELLED);
    assertThat(ErrorType.of(403, "model_not_allowed")).isEqualTo(ErrorType.POLICY_MODEL_FORBIDDEN);
    assertThat(ErrorType.of(429, "rate_limit_exceeded")).isEqualTo(ErrorType.POLICY_RATE_LIMITED);
    assertThat(ErrorType.of(429, "insufficient_quota")).isEqualTo(ErrorType.POLICY_BUDGET_EXCEEDED);
    assertThat(ErrorType.of(409, "idempotency_key_reused")).isEqualTo(ErrorType.POLICY_IDEMPOTENCY_CONFLICT);
    assertThat(ErrorType.of(400, "moderation_blocked")).isEqualTo(ErrorType.PROVIDER_CONTENT_POLICY);
    assertThat(ErrorType.of(400, "some_upstream_code")).isEqualTo(ErrorType.PROVIDER_REFUSED);
    assertThat(ErrorType.of(429, "upstream_specific")).isEqualTo(ErrorType.PROVIDER_RATE_LIMITED);
    assertThat(ErrorType.of(502, "upstream_error")).isEqualTo(ErrorType.PROVIDER_ERROR);
    assertThat(ErrorType.of(504, "upstream_timeout")).isEqualTo(ErrorType.PROVIDER_TIMEOUT);
    assertThat(ErrorType.of(503, "gateway_overloaded")).isEqualTo(ErrorType.GATEWAY_OVERLOADED);
    assertThat(ErrorType.of(500, "internal_error")).isEqualTo(ErrorType.GATEWAY_INTERNAL);
    assertThat(ErrorType.of(500, null)).isEqualTo(ErrorType.GATEWAY_INTERNAL);
    // the gateway's own refusals on other routes are never taken for an upstream's
    assertThat(ErrorType.of(404, null)).as("an unknown URL").isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(404, "key_not_found")).isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(410, "expired")).isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(403, "invalid_signature")).isEqualTo(ErrorType.POLICY_AUTH_FAILED);
    assertThat(ErrorType.of(405, "method_not_allowed")).isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
  }

  @Test
  void of_theJobsRoutesOwnRefusals_areTheCallersOrPolicy_neverAnUpstreams() {
    assertThat(ErrorType.of(404, "job_not_found")).isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(409, "job_finished")).isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(400, "stream_not_async")).isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(410, "job_result_gone")).isEqualTo(ErrorType.CALLER_INVALID_REQUEST);
    assertThat(ErrorType.of(429, "too_many_queued_jobs")).isEqualTo(ErrorType.POLICY_RATE_LIMITED);
  }

  @Test
  void sizeClass_byPixels() {
    assertThat(GatewayMetrics.sizeClass("1024x1024")).isEqualTo("1K");
    assertThat(GatewayMetrics.sizeClass("1536x1024")).isEqualTo("1K");
    assertThat(GatewayMetrics.sizeClass("2048x2048")).isEqualTo("2K");
    assertThat(GatewayMetrics.sizeClass("3840x2160")).isEqualTo("4K");
    assertThat(GatewayMetrics.sizeClass("auto")).isEqualTo("auto");
    assertThat(GatewayMetrics.sizeClass(null)).isEqualTo("auto");
  }
}
