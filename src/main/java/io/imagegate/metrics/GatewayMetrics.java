package io.imagegate.metrics;

import io.imagegate.usage.LedgerEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The gateway's meters in one Prometheus registry. An images call is counted once, when its ledger row is
 * written ({@link #call}): requests by operation, model, provider, deployment, status and error type; its
 * duration (buckets up to 600 s: image calls take 10–300 s); images returned by model, size class and
 * quality; tokens by kind; cost in USD by model and key id. Plus calls in flight and body bytes held, and the
 * JVM's and the process's own meters.
 *
 * <p>Labels stay bounded: a model no route serves is {@code _other}, and nothing from the request's text
 * (prompt, user, URL) or a key's secret is ever a label.
 */
public final class GatewayMetrics {
  /** Seconds: a local draw takes milliseconds, an upstream image up to minutes. */
  private static final Duration[] BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 180,
      240, 300, 450, 600);
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Predicate<String> routedModel;
  /**
   * The meters already made, by their label values: a call finds its meters with one map look-up instead of
   * building and sorting each meter's tags again (the registry's own way).
   */
  private final java.util.concurrent.ConcurrentHashMap<java.util.List<String>, Object> made =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** @param routedModel whether a model id is one the gateway routes (else its label is {@code _other}) */
  public GatewayMetrics(Predicate<String> routedModel) { this(routedModel, true); }

  /** @param jvm whether to bind the JVM's and the process's meters (tests of one part may leave them out) */
  public GatewayMetrics(Predicate<String> routedModel, boolean jvm) {
    this.routedModel = routedModel;
    if (!jvm) return;
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** Calls in flight and the request-body bytes they hold (the admission's counts). */
  public void admission(IntSupplier calls, LongSupplier bodyBytes) {
    Gauge.builder("imagegate.inflight.requests", calls::getAsInt)
        .description("Images calls admitted and not yet finished").register(registry);
    Gauge.builder("imagegate.inflight.body", bodyBytes::getAsLong).baseUnit("bytes")
        .description("Request-body bytes held by the calls in flight").register(registry);
  }

  /** One finished images call, as its ledger row records it. */
  public void call(LedgerEntry e) {
    String model = routedModel.test(e.modelAsked()) ? e.modelAsked() : "_other";
    String operation = e.endpoint().equals("edits") ? "image_edit" : "image_generation";
    ErrorType error = ErrorType.of(e.status(), e.errorCode());
    String provider = orNone(e.provider());
    String deployment = orNone(e.deployment());
    String status = Integer.toString(e.status());
    counter(() -> Counter.builder("imagegate.requests").description("Images calls answered, by outcome")
        .tags(route(operation, model, provider, deployment)).tag("status", status).tag("error_type", error.label())
        .register(registry), "requests", operation, model, provider, deployment, status, error.label()).increment();
    String outcome = e.status() < 400 ? "success" : "error";
    timer(() -> Timer.builder("imagegate.request.duration")
        .description("Images calls from the first byte read to the last written").serviceLevelObjectives(BUCKETS)
        .tags(route(operation, model, provider, deployment)).tag("outcome", outcome).register(registry),
        "duration", operation, model, provider, deployment, outcome).record(Duration.ofMillis(e.latencyMillis()));
    if (e.imagesReturned() > 0) {
      String size = sizeClass(e.size());
      String quality = quality(e.quality());
      counter(() -> Counter.builder("imagegate.images").description("Images returned to clients")
          .tags("operation", operation, "model", model, "size_class", size, "quality", quality).register(registry),
          "images", operation, model, size, quality).increment(e.imagesReturned());
    }
    tokens(model, "text_in", e.textInTokens());
    tokens(model, "image_in", e.imageInTokens());
    tokens(model, "image_out", e.imageOutTokens());
    if (e.costUsd() > 0) {
      counter(() -> Counter.builder("imagegate.cost").baseUnit("usd").description("What the ledger charged, in USD")
          .tags("model", model, "key_id", e.keyId()).register(registry), "cost", model, e.keyId())
          .increment(e.costUsd());
    }
  }

  private static Tags route(String operation, String model, String provider, String deployment) {
    return Tags.of("operation", operation, "model", model, "provider", provider, "deployment", deployment);
  }

  private Counter counter(java.util.function.Supplier<Counter> make, String... labels) {
    return (Counter) made.computeIfAbsent(java.util.List.of(labels), k -> make.get());
  }

  private Timer timer(java.util.function.Supplier<Timer> make, String... labels) {
    return (Timer) made.computeIfAbsent(java.util.List.of(labels), k -> make.get());
  }

  /**
   * One try of an upstream deployment, until its answer began (or failed).
   *
   * @param attempt {@code first} (the request's first try), {@code retry} (the same deployment again) or
   *     {@code fallback} (the first try of a further deployment)
   * @param outcome {@code 200}, or the failure: the upstream's status, or {@code timeout}, {@code retryable} …
   */
  public void attempt(String model, String provider, String deployment, String attempt, String outcome, long nanos) {
    String m = routedModel.test(model) ? model : "_other";
    String p = orNone(provider);
    String d = orNone(deployment);
    counter(() -> Counter.builder("imagegate.upstream.requests").description("Tries of upstream deployments, by outcome")
        .tags("model", m, "provider", p, "deployment", d, "attempt", attempt, "outcome", outcome).register(registry),
        "upstream", m, p, d, attempt, outcome).increment();
    String result = outcome.equals("200") ? "success" : "error";
    timer(() -> Timer.builder("imagegate.upstream.duration").description("An upstream try, until its answer began or it failed")
        .serviceLevelObjectives(BUCKETS).tags("model", m, "provider", p, "deployment", d, "outcome", result)
        .register(registry), "upstream-duration", m, p, d, result).record(Duration.ofNanos(nanos));
  }

  /** A streamed call's first partial image, {@code nanos} after the call began. */
  public void firstPartial(String model, String provider, long nanos) {
    String m = routedModel.test(model) ? model : "_other";
    String p = orNone(provider);
    timer(() -> Timer.builder("imagegate.time.to.first.partial").description("Streamed calls, until the first partial"
        + " image was sent").serviceLevelObjectives(BUCKETS).tags("model", m, "provider", p).register(registry),
        "first-partial", m, p).record(Duration.ofNanos(nanos));
  }

  /** A deployment's circuit: 0 closed, 1 half-open (a probe may go), 2 open (skipped). */
  public void circuit(String provider, String deployment, IntSupplier state) {
    Gauge.builder("imagegate.circuit.state", state::getAsInt).description("0 closed, 1 half-open, 2 open")
        .tags("provider", orNone(provider), "deployment", deployment).register(registry);
  }

  /** An {@code Idempotency-Key} request: {@code replayed}, or refused as {@code reused} or {@code in_progress}. */
  public void idempotency(String result) {
    counter(() -> Counter.builder("imagegate.idempotency").description("Idempotency-Key requests that did not run anew")
        .tag("result", result).register(registry), "idempotency", result).increment();
  }

  /**
   * One HTTP answer of any route, by its template (never the raw path), method, status and error type: the
   * refusals no images call is counted for (a 401 before any key is known), the admin API and the pages too.
   */
  public void http(String route, String method, int status, String errorType) {
    String s = String.valueOf(status);
    counter(() -> Counter.builder("imagegate.http.requests").description("HTTP answers of every route")
        .tags("route", route, "method", method, "status", s, "error_type", errorType).register(registry),
        "http", route, method, s, errorType).increment();
  }

  /** A call our own limiter refused (429 {@code rate_limit_exceeded}): {@code limit} is {@code rpm} or {@code ipm}. */
  public void rateLimitRefusal(String limit) {
    counter(() -> Counter.builder("imagegate.ratelimit.refusals").description("Calls refused by a key's own rate limit")
        .tag("limit", limit).register(registry), "ratelimit", limit).increment();
  }

  /** A call refused because its worst case did not fit its key's budget (429 {@code insufficient_quota}): its
   * {@code period} is {@code total}, {@code daily} or {@code monthly}. */
  public void budgetRefusal(String period) {
    counter(() -> Counter.builder("imagegate.budget.refusals").description("Calls refused by their key's budget")
        .tag("period", period).register(registry), "budget", period).increment();
  }

  private void tokens(String model, String kind, long n) {
    if (n <= 0) return;
    counter(() -> Counter.builder("imagegate.tokens").description("Tokens charged, by kind")
        .tags("model", model, "kind", kind).register(registry), "tokens", model, kind).increment(n);
  }

  /** Seconds from a ledger row's record() to its commit: milliseconds when the store keeps up. */
  private static final Duration[] LEDGER_BUCKETS = seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
      2.5, 5, 10);

  /**
   * The usage ledger's writer: the rows waiting for it now, and (the sink returned) each row's nanoseconds
   * from {@code record()} to its commit.
   */
  public java.util.function.LongConsumer ledger(IntSupplier queueDepth) {
    Gauge.builder("imagegate.ledger.queue.depth", queueDepth::getAsInt)
        .description("Usage-ledger rows waiting for the writer").register(registry);
    Timer write = Timer.builder("imagegate.ledger.write").description("Usage-ledger rows, from record() to their commit")
        .serviceLevelObjectives(LEDGER_BUCKETS).register(registry);
    return nanos -> write.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() { return registry.scrape(); }

  /** The content type of {@link #scrape()}. */
  public static String contentType() { return "text/plain; version=0.0.4; charset=utf-8"; }

  /** {@code 1K} up to 1.6 MP (1536x1024), {@code 2K} up to 4.2 MP (2048x2048), else {@code 4K}. */
  static String sizeClass(String size) {
    if (size == null) return "auto";
    String[] wh = size.toLowerCase(Locale.ROOT).split("x");
    try {
      long pixels = Long.parseLong(wh[0]) * Long.parseLong(wh[1]);
      return pixels <= 1536L * 1024 ? "1K" : pixels <= 2048L * 2048 ? "2K" : "4K";
    } catch (RuntimeException notASize) {
      return "auto";
    }
  }

  private static String quality(String q) {
    return q == null ? "auto" : switch (q) {
      case "low", "medium", "high", "auto", "standard", "hd" -> q;
      default -> "_other";
    };
  }

  private static String orNone(String v) { return v == null || v.isEmpty() ? "none" : v; }

  private static Duration[] seconds(double... s) {
    Duration[] d = new Duration[s.length];
    for (int i = 0; i < s.length; i++) d[i] = Duration.ofMillis((long) (s[i] * 1000));
    return d;
  }
}
