package io.imagegate.trace;

import io.imagegate.api.ApiException;
import io.imagegate.metrics.ErrorType;
import io.imagegate.provider.UpstreamException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * One try of an upstream deployment, from the call until its answer began (as the
 * {@code imagegate_upstream_duration} meter times it), or until it failed. Retries and fallbacks are sibling
 * spans under the request's {@link ServerSpan}. Ends once, by {@link #answered} or a {@code failed}.
 */
public final class UpstreamSpan {
  static final UpstreamSpan NONE = new UpstreamSpan(Span.getInvalid(), null, null);

  private final Span span;
  private final ServerSpan parent;
  private final String model;

  UpstreamSpan(Span span, ServerSpan parent, String model) {
    this.span = span;
    this.parent = parent;
    this.model = model;
  }

  /** Makes this the current span while the upstream is called: the call then carries its {@code traceparent}. */
  public Scope makeCurrent() { return this == NONE ? Scope.noop() : span.makeCurrent(); }

  /** The upstream answered: its answer has begun. */
  public void answered() {
    if (this == NONE) return;
    if (span.isRecording()) span.setAttribute(GenAiAttributes.RESPONSE_MODEL, model);
    parent.answeredBy(model);
    span.end();
  }

  /** The upstream's answer was a failure (or none came). */
  public void failed(UpstreamException e) {
    if (this == NONE) return;
    if (span.isRecording()) {
      if (e.status() > 0) span.setAttribute(GenAiAttributes.HTTP_RESPONSE_STATUS_CODE, (long) e.status());
      span.setAttribute(GenAiAttributes.ATTEMPT_OUTCOME, e.label());
      error(errorType(e));
    }
    span.end();
  }

  /** The attempt failed in the gateway itself, or with an answer meant for the client as it is. */
  public void failed(RuntimeException e) {
    if (this == NONE) return;
    if (span.isRecording()) {
      error(e instanceof ApiException api ? ErrorType.of(api.status(), api.code()) : ErrorType.GATEWAY_INTERNAL);
    }
    span.end();
  }

  private void error(ErrorType type) {
    span.setAttribute(GenAiAttributes.ERROR_TYPE, type.label());
    span.setStatus(StatusCode.ERROR, type.label());
  }

  /** An attempt's failure in the closed list: always the upstream's side, never the gateway's own policy. */
  static ErrorType errorType(UpstreamException e) {
    return switch (e.kind()) {
      case TIMEOUT -> ErrorType.PROVIDER_TIMEOUT;
      case CANCELLED -> ErrorType.CALLER_CANCELLED;
      case REFUSED -> {
        if ("moderation_blocked".equals(e.code()) || "content_policy_violation".equals(e.code())) {
          yield ErrorType.PROVIDER_CONTENT_POLICY;
        }
        yield e.status() == 429 ? ErrorType.PROVIDER_RATE_LIMITED : ErrorType.PROVIDER_REFUSED;
      }
      case RETRYABLE, CREDENTIALS -> e.status() == 429 ? ErrorType.PROVIDER_RATE_LIMITED : ErrorType.PROVIDER_ERROR;
    };
  }
}
