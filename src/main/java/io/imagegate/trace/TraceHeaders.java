package io.imagegate.trace;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.function.BiConsumer;

/**
 * The trace headers an upstream call carries: W3C {@code traceparent} (and {@code tracestate}) of the
 * current attempt's span, so that an upstream that traces continues the gateway's trace. Never
 * {@code baggage}: what a client put there is not for a third party. Nothing when no span is current
 * (tracing off).
 */
public final class TraceHeaders {
  private TraceHeaders() {}

  /** Adds the current span's trace headers, if any, through {@code header}. */
  public static void inject(BiConsumer<String, String> header) {
    W3CTraceContextPropagator.getInstance().inject(Context.current(), header,
        (h, name, value) -> h.accept(name, value));
  }
}
