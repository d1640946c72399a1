package io.imagegate.trace;

import io.imagegate.config.TraceSettings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's tracer: one SERVER span per request ({@link #server}), under which the engine opens one
 * CLIENT span per upstream attempt ({@link ServerSpan#attempt}). Off unless the settings name an OTLP
 * endpoint ({@link TraceSettings#exporting()}); off, it is OpenTelemetry's no-op: no SDK, no exporter, no
 * thread, and every span handle is one shared instance that does nothing.
 *
 * <p>An incoming {@code traceparent} is honoured: the request's span continues that trace, and the default
 * sampler ({@code parentbased_always_on}) keeps the caller's sampling decision.
 */
public final class GatewayTracer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayTracer.class);
  private static final GatewayTracer OFF = new GatewayTracer(null);
  /** How long closing waits for the last spans to be sent: the process's exit gives its close 5 s in all. */
  private static final long FLUSH_SECONDS = 3;
  private static final TextMapGetter<UnaryOperator<String>> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(UnaryOperator<String> headers) { return List.of(); }

    @Override
    public String get(UnaryOperator<String> headers, String name) {
      return headers == null ? null : headers.apply(name);
    }
  };

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  /** @param sdk the SDK to trace with, or null for the no-op (tests give one that keeps spans in memory) */
  GatewayTracer(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
    OpenTelemetry otel = sdk != null ? sdk : OpenTelemetry.noop();
    this.tracer = otel.getTracer("io.imagegate");
    this.propagator = otel.getPropagators().getTextMapPropagator();
  }

  /** Tracing off. */
  public static GatewayTracer off() { return OFF; }

  /**
   * The tracer the settings ask for: exporting over OTLP when they name an endpoint, else {@link #off()}.
   *
   * @throws IllegalArgumentException when the {@code OTEL_*} variables are invalid (the message says which)
   */
  public static GatewayTracer start(TraceSettings settings) {
    return settings.exporting() ? new GatewayTracer(OtlpSetup.build(settings)) : OFF;
  }

  /** Whether spans are recorded and exported (false: the no-op). */
  public boolean exporting() { return sdk != null; }

  /**
   * Starts the SERVER span of one request, continuing the caller's trace when its headers carry one.
   *
   * @param method the HTTP method
   * @param route the route's template ({@code /admin/keys/{id}}), or null when no route matches
   * @param requestId the request's {@code x-request-id}
   * @param headers the request's headers by name
   */
  public ServerSpan server(String method, String route, String requestId, UnaryOperator<String> headers) {
    if (sdk == null) return ServerSpan.NONE;
    Context parent = propagator.extract(Context.root(), headers, HEADERS);
    String m = GenAiAttributes.method(method);
    var builder = tracer.spanBuilder(route == null ? m : m + " " + route).setParent(parent)
        .setSpanKind(SpanKind.SERVER).setAttribute(GenAiAttributes.HTTP_REQUEST_METHOD, m);
    if (route != null) builder.setAttribute(GenAiAttributes.HTTP_ROUTE, route);
    if (requestId != null) builder.setAttribute(GenAiAttributes.REQUEST_ID, requestId);
    Span span = builder.startSpan();
    return new ServerSpan(span, tracer);
  }

  /** Sends the spans still queued and stops the SDK, waiting a few seconds at most. */
  @Override
  public void close() {
    if (sdk == null) return;
    CompletableResultCode done = sdk.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS);
    if (!done.isSuccess()) LOG.warn("the last spans could not be exported within {} s", FLUSH_SECONDS);
  }
}
