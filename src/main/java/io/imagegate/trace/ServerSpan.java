package io.imagegate.trace;

import io.imagegate.api.Operation;
import io.imagegate.metrics.ErrorType;
import io.imagegate.usage.LedgerEntry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.net.URI;

/**
 * The SERVER span of one request: started and ended by the web layer with the HTTP facts (method, route
 * template, status), filled in by the engine's conductor with what the images call came to (its ledger row:
 * operation, models, provider, deployment, tokens, images, cost, error type). While it is current
 * ({@link #makeCurrent}) the attempts of the deployment chain become its children ({@link #attempt}).
 *
 * <p>Every method is a no-op, and costs nothing past one check, when tracing is off or the span is not
 * sampled. Used by the request's own thread only.
 */
public final class ServerSpan {
  /** The span of a request when tracing is off. */
  public static final ServerSpan NONE = new ServerSpan(Span.getInvalid(), null);
  private static final ContextKey<ServerSpan> KEY = ContextKey.named("imagegate.server-span");

  private final Span span;
  private final Tracer tracer;
  private int attempts;

  ServerSpan(Span span, Tracer tracer) {
    this.span = span;
    this.tracer = tracer;
  }

  /** The span of the request whose thread this is (made current by {@link #makeCurrent}), or {@link #NONE}. */
  public static ServerSpan current() {
    ServerSpan s = Context.current().get(KEY);
    return s == null ? NONE : s;
  }

  /** Makes this the current span of the calling thread until the scope is closed. */
  public Scope makeCurrent() {
    if (this == NONE) return Scope.noop();
    return Context.current().with(span).with(KEY, this).makeCurrent();
  }

  /** The request is an images call of this operation. */
  public void operation(Operation operation) {
    if (span.isRecording()) span.setAttribute(GenAiAttributes.OPERATION_NAME, GenAiAttributes.operation(operation));
  }

  /** What the call's ledger row says of it: set once the row is written (success or failure). */
  public void recorded(LedgerEntry e) {
    if (!span.isRecording()) return;
    span.setAttribute(GenAiAttributes.OPERATION_NAME, GenAiAttributes.operation(e.endpoint()));
    if (!"-".equals(e.modelAsked())) span.setAttribute(GenAiAttributes.REQUEST_MODEL, e.modelAsked());
    if (e.nAsked() != 1) span.setAttribute(GenAiAttributes.REQUEST_CHOICE_COUNT, (long) e.nAsked());
    span.setAttribute(GenAiAttributes.KEY_ID, e.keyId());
    if (e.provider() != null) {
      span.setAttribute(GenAiAttributes.PROVIDER, e.provider());
      span.setAttribute(GenAiAttributes.PROVIDER_NAME, GenAiAttributes.provider(e.provider()));
    }
    if (e.deployment() != null) span.setAttribute(GenAiAttributes.DEPLOYMENT, e.deployment());
    if (e.size() != null) span.setAttribute(GenAiAttributes.IMAGE_SIZE, e.size());
    if (e.quality() != null) span.setAttribute(GenAiAttributes.IMAGE_QUALITY, e.quality());
    span.setAttribute(GenAiAttributes.IMAGES, (long) e.imagesReturned());
    if (e.status() < 400) {
      span.setAttribute(GenAiAttributes.INPUT_TOKENS, e.textInTokens() + e.imageInTokens());
      span.setAttribute(GenAiAttributes.OUTPUT_TOKENS, e.imageOutTokens());
      span.setAttribute(GenAiAttributes.TEXT_INPUT_TOKENS, e.textInTokens());
      span.setAttribute(GenAiAttributes.IMAGE_INPUT_TOKENS, e.imageInTokens());
      span.setAttribute(GenAiAttributes.IMAGE_OUTPUT_TOKENS, e.imageOutTokens());
      span.setAttribute(GenAiAttributes.COST_USD, e.costUsd());
    } else {
      failed(ErrorType.of(e.status(), e.errorCode()));
    }
  }

  /** The answer is a replay of an earlier one with the same {@code Idempotency-Key}: no new call, no charge. */
  public void replayed(String modelAsked) {
    if (!span.isRecording()) return;
    span.setAttribute(GenAiAttributes.REQUEST_MODEL, modelAsked);
    span.addEvent(GenAiAttributes.IDEMPOTENT_REPLAY);
  }

  /**
   * Starts one try of an upstream deployment as a child of this span: CLIENT, or INTERNAL for a provider
   * in this process. Make it current while the upstream is called, so that the call carries its
   * {@code traceparent}.
   *
   * @param route the public model id whose route is served
   * @param provider the provider kind ({@code openai}, {@code azure}, …)
   * @param attempt {@code first}, {@code retry} or {@code fallback}
   * @param model the model name sent upstream
   * @param baseUrl the upstream's base URL, or null for a provider in this process
   */
  public UpstreamSpan attempt(String route, String provider, String deployment, String attempt, Operation operation,
      String model, URI baseUrl) {
    if (this == NONE) return UpstreamSpan.NONE;
    attempts++;
    String op = GenAiAttributes.operation(operation);
    var builder = tracer.spanBuilder(op + " " + model).setParent(Context.current().with(span))
        .setSpanKind(baseUrl == null ? SpanKind.INTERNAL : SpanKind.CLIENT)
        .setAttribute(GenAiAttributes.OPERATION_NAME, op)
        .setAttribute(GenAiAttributes.PROVIDER_NAME, GenAiAttributes.provider(provider))
        .setAttribute(GenAiAttributes.PROVIDER, provider)
        .setAttribute(GenAiAttributes.REQUEST_MODEL, model)
        .setAttribute(GenAiAttributes.ROUTE, route)
        .setAttribute(GenAiAttributes.DEPLOYMENT, deployment)
        .setAttribute(GenAiAttributes.ATTEMPT, attempt);
    if (baseUrl != null && baseUrl.getHost() != null) {
      String host = baseUrl.getHost();
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : "https".equalsIgnoreCase(baseUrl.getScheme()) ? 443 : 80;
      builder.setAttribute(GenAiAttributes.SERVER_ADDRESS, host).setAttribute(GenAiAttributes.SERVER_PORT, (long) port);
    }
    return new UpstreamSpan(builder.startSpan(), this, model);
  }

  /** The attempt that answered: its model is the call's response model. */
  void answeredBy(String model) {
    if (span.isRecording()) span.setAttribute(GenAiAttributes.RESPONSE_MODEL, model);
  }

  /**
   * Ends the span with the request's answer: its status, and for a failure its error type (the span's
   * status is then ERROR).
   */
  public void end(int status, ErrorType error) {
    if (this == NONE) return;
    if (span.isRecording()) {
      span.setAttribute(GenAiAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
      if (attempts > 0) span.setAttribute(GenAiAttributes.ATTEMPTS, (long) attempts);
      if (error != null && error != ErrorType.NONE) failed(error);
    }
    span.end();
  }

  private void failed(ErrorType error) {
    span.setAttribute(GenAiAttributes.ERROR_TYPE, error.label());
    span.setStatus(StatusCode.ERROR, error.label());
  }
}
