package io.imagegate.engine;

import io.imagegate.api.ApiException;
import io.imagegate.metrics.GatewayMetrics;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageRef;
import io.imagegate.api.ImageRequest;
import io.imagegate.api.Operation;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Authenticator;
import io.imagegate.idempotency.IdempotencyStore;
import io.imagegate.idempotency.Outcome;
import io.imagegate.idempotency.Recording;
import io.imagegate.imagestore.ImageStore;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageRelay;
import io.imagegate.provider.UpstreamException;
import io.imagegate.ratelimit.Decision;
import io.imagegate.ratelimit.RateLimiter;
import io.imagegate.trace.ServerSpan;
import io.opentelemetry.context.Scope;
import io.imagegate.usage.BudgetGuard;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.Pricing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conducts one images call, {@code POST /v1/images/generations} or {@code /v1/images/edits}, from admission to
 * the last byte: admit → scope → read the body → route → the key's models → validate → rate-limit with the
 * validated {@code n} → idempotency → fetch input images → reserve budget → run the deployment chain → keep
 * URL images → commit the charge → finish the answer. Every call that got past authentication leaves one
 * ledger row: charged when the upstream completed, free when it failed.
 */
public final class ImageService {
  public static final String PROVIDER_HEADER = "x-imagegate-provider";
  public static final String DEPLOYMENT_HEADER = "x-imagegate-deployment";
  public static final String ATTEMPTS_HEADER = "x-imagegate-attempts";
  public static final String REPLAYED_HEADER = "x-imagegate-idempotent-replayed";
  private static final Logger LOG = LoggerFactory.getLogger(ImageService.class);

  private final ModelRouter router;
  private final ImagePipeline pipeline;
  private final RateLimiter limiter;
  private final IdempotencyStore idempotency;
  private final ImageStore images;
  private final String publicUrl;
  private final ChargeRecorder charges;
  private final GatewayMetrics metrics;
  private final Admission admission;
  private final Duration totalDeadline;

  /** What the service is built from. */
  public record Parts(ModelRouter router, ImagePipeline pipeline, RateLimiter limiter, IdempotencyStore idempotency,
      ImageStore images, String publicUrl, JdbcUsageLedger ledger, Pricing pricing, boolean keepPrompts,
      BudgetGuard budgets, Admission admission, Duration totalDeadline, GatewayMetrics metrics) {}

  public ImageService(Parts p) {
    this.router = p.router();
    this.pipeline = p.pipeline();
    this.limiter = p.limiter();
    this.idempotency = p.idempotency();
    this.images = p.images();
    this.publicUrl = p.publicUrl();
    this.charges = new ChargeRecorder(p.ledger(), p.pricing(), p.keepPrompts(), p.budgets(), p.metrics());
    this.admission = p.admission();
    this.metrics = p.metrics();
    metrics.admission(admission::inFlight, admission::heldBodyBytes);
    this.totalDeadline = p.totalDeadline();
  }

  /** Reads the request body; called once the call is admitted and its key may call the images endpoints. */
  @FunctionalInterface
  public interface Body {
    ImageRequest read();
  }

  /**
   * Conducts the call; errors before the answer began are thrown as {@link ApiException}s for the web layer
   * to write, and are already in the ledger.
   *
   * @param declaredBytes the body's Content-Length, or -1
   */
  public void handle(Exchange x, ApiKey key, Operation operation, long declaredBytes, Body body) throws IOException {
    ServerSpan span = x.span();
    ChargeRecorder.Call call = new ChargeRecorder.Call(x.requestId(), key, operation, System.nanoTime(),
        x::recorded, span, new CallNotes());
    x.notes(call.notes());
    long deadline = call.startNanos() + totalDeadline.toNanos();
    ImageRequest request = null;
    span.operation(operation);
    // current while the call runs: the deployment chain's attempts become the request span's children
    try (Scope traced = span.makeCurrent(); Admission.Ticket ticket = admission.enter(declaredBytes)) {
      if (!key.scopes().contains(ApiKey.SCOPE_IMAGES)) {
        throw new ApiException(403, "permission_denied", null, "scope_required", "This API key lacks the 'images'"
            + " scope, so it may not call the images endpoints.");
      }
      request = body.read();
      call.notes().request(request);
      if (declaredBytes <= 0) ticket.hold(inputBytes(request));
      ModelRouter.Route route = router.route(request.modelOrDefault());
      Authenticator.checkModel(key, route.id());
      ImageOptions options = pipeline.validate(request, route);
      limit(x, key, options.n());
      idempotent(x, call, request, route, options, deadline);
    } catch (ApiException e) {
      charges.failure(call, request, e); // the admission's own refusals too: every call leaves its row
      throw e;
    }
  }

  /**
   * A call asked to run later ({@code Prefer: respond-async}), past every check a synchronous call makes
   * before its upstream: the request, validated, and its fingerprint for an {@code Idempotency-Key}.
   */
  public record Admitted(ImageRequest request, String fingerprint) {}

  /** Keeps an admitted call as a job and answers 202; may still refuse it (the key's cap on queued jobs). */
  @FunctionalInterface
  public interface Accept {
    void accept(Admitted admitted) throws IOException;
  }

  /**
   * Checks a call to run later exactly as {@link #handle} checks one now (admission, scope, body, model and
   * the key's models, validation, rate limit, input images, a budget reservation held and let go), then hands
   * it to {@code accept}. A refusal is thrown as the same {@link ApiException} and is in the ledger.
   */
  public void submit(Exchange x, ApiKey key, Operation operation, long declaredBytes, Body body, Accept accept)
      throws IOException {
    ChargeRecorder.Call call = new ChargeRecorder.Call(x.requestId(), key, operation, System.nanoTime(),
        x::recorded, x.span(), new CallNotes());
    x.notes(call.notes());
    ImageRequest request = null;
    try (Admission.Ticket ticket = admission.enter(declaredBytes)) {
      if (!key.scopes().contains(ApiKey.SCOPE_IMAGES)) {
        throw new ApiException(403, "permission_denied", null, "scope_required", "This API key lacks the 'images'"
            + " scope, so it may not call the images endpoints.");
      }
      request = body.read();
      call.notes().request(request);
      if (declaredBytes <= 0) ticket.hold(inputBytes(request));
      ModelRouter.Route route = router.route(request.modelOrDefault());
      Authenticator.checkModel(key, route.id());
      ImageOptions options = pipeline.validate(request, route);
      if (options.stream()) {
        throw new ApiException(400, "invalid_request_error", "stream", "stream_not_async", "A streamed answer"
            + " cannot be a job: drop 'stream' or the header 'Prefer: respond-async'.");
      }
      limit(x, key, options.n());
      String idempotencyKey = x.header("Idempotency-Key");
      if (idempotencyKey != null && !IdempotencyStore.validKey(idempotencyKey)) {
        throw new ApiException(400, "invalid_request_error", null, "invalid_idempotency_key", "The Idempotency-Key"
            + " header must be 1 to 255 visible ASCII characters.");
      }
      ImageJob job = pipeline.prepare(request, options);
      charges.reserve(key, job).close(); // the check only: the worker reserves again when the job runs
      accept.accept(new Admitted(request, RequestFingerprint.of(x.path(), request)));
    } catch (ApiException e) {
      charges.failure(call, request, e);
      throw e;
    }
  }

  /**
   * Runs a job's call now, through the same path as {@link #handle} from routing on, with no rate limit (its
   * submit was counted) and no idempotency (the job is its own). The exchange's request id is the job's id,
   * so the ledger, keyed by request id, charges a job once even when an instance that died is taken over;
   * a failed attempt's free row goes under {@code attemptId}.
   */
  public void runJob(Exchange x, ApiKey key, ImageRequest request, String attemptId) throws IOException {
    ChargeRecorder.Call call = new ChargeRecorder.Call(x.requestId(), key, request.operation(), System.nanoTime(),
        x::recorded, x.span(), new CallNotes(), attemptId, x.priceFactor());
    call.notes().request(request);
    try {
      ModelRouter.Route route = router.route(request.modelOrDefault());
      Authenticator.checkModel(key, route.id());
      ImageOptions options = pipeline.validate(request, route);
      run(x, call, request, route, options, null, call.startNanos() + totalDeadline.toNanos());
    } catch (ApiException e) {
      charges.failure(call, request, e);
      throw e;
    }
  }

  /** Whether this gateway takes no new calls (it is draining): {@code /ready} says so. */
  public boolean draining() { return admission.draining(); }

  private static long inputBytes(ImageRequest r) {
    long n = 0;
    for (ImageRef ref : r.images()) n += ref.bytes() == null ? 0 : ref.bytes().length;
    if (r.mask() != null && r.mask().bytes() != null) n += r.mask().bytes().length;
    return n;
  }

  /** The key's requests- and images-per-minute limits; every answer carries the {@code x-ratelimit-*} headers. */
  private void limit(Exchange x, ApiKey key, int images) {
    Decision decision = limiter.acquire(key.id(), key.rpm(), key.ipm(), images);
    decision.headers().forEach(x::header);
    if (decision.allowed()) return;
    String which = decision.requests() != null && decision.requests().remaining() < 1 ? "requests" : "images";
    metrics.rateLimitRefusal("requests".equals(which) ? "rpm" : "ipm");
    ApiException e = new ApiException(429, "requests", null, "rate_limit_exceeded", "Rate limit reached for this"
        + " API key: " + ("requests".equals(which) ? key.rpm() + " requests" : key.ipm() + " images")
        + " per minute. Try again in " + decision.headers().get("Retry-After") + " s.");
    decision.headers().forEach(e::withHeader);
    throw e;
  }

  private void idempotent(Exchange x, ChargeRecorder.Call call, ImageRequest request, ModelRouter.Route route,
      ImageOptions options, long deadline) throws IOException {
    String idempotencyKey = x.header("Idempotency-Key");
    if (idempotencyKey == null) {
      run(x, call, request, route, options, null, deadline);
      return;
    }
    if (!IdempotencyStore.validKey(idempotencyKey)) {
      throw new ApiException(400, "invalid_request_error", null, "invalid_idempotency_key", "The Idempotency-Key"
          + " header must be 1 to 255 visible ASCII characters.");
    }
    Outcome outcome = idempotency.begin(call.key().id(), idempotencyKey, RequestFingerprint.of(x.path(), request));
    switch (outcome) {
      case Outcome.Replay replay -> {
        metrics.idempotency("replayed");
        call.span().replayed(request.modelOrDefault());
        replay(x, replay);
      }
      case Outcome.Conflict conflict -> {
        metrics.idempotency("reused");
        throw new ApiException(409, "invalid_request_error", null, "idempotency_key_reused", conflict.message());
      }
      case Outcome.StillRunning running -> {
        metrics.idempotency("in_progress");
        throw new ApiException(409, "invalid_request_error", null, "idempotency_key_in_use", running.message());
      }
      case Outcome.Proceed proceed -> {
        try (Recording recording = proceed.recording()) {
          run(x, call, request, route, options, recording, deadline);
        }
      }
    }
  }

  /** Fetches the inputs, reserves the worst case, runs the chain and answers; a recording keeps every byte sent. */
  private void run(Exchange x, ChargeRecorder.Call call, ImageRequest request, ModelRouter.Route route,
      ImageOptions options, Recording recording, long deadline) throws IOException {
    ImageJob job = pipeline.prepare(request, options);
    try (BudgetGuard.Reservation held = charges.reserve(call.key(), job)) {
      ImagePipeline.Answer answer;
      try (Exchange.Watch watch = x.watch()) {
        long started = System.nanoTime();
        try {
          answer = pipeline.start(job, route, deadline);
        } catch (UpstreamException e) {
          if (e.kind() != UpstreamException.Kind.CANCELLED && !watch.clientGone()) throw e;
          LOG.info("client hung up while waiting; its upstream call was cancelled");
          charges.failure(call, request, 499, "client_closed_request");
          x.abort();
          return;
        } finally {
          call.notes().upstream(System.nanoTime() - started);
        }
      }
      Answering a = new Answering(x, call, request, job, answer, held, recording, charges, images, publicUrl,
          metrics);
      Optional<ImageRelay> relay = answer.batch().relay();
      if (relay.isPresent()) {
        try (ImageRelay r = relay.get()) {
          if (options.responseFormat().equals("url")) a.relayedUrls(r);
          else a.relayed(r);
        }
      } else {
        a.held();
      }
    }
  }

  /** The first answer again, byte for byte, with no new generation and no new charge. */
  private static void replay(Exchange x, Outcome.Replay replay) throws IOException {
    // Opened first: a body gone since begin() is still an ordinary error answer, nothing sent yet.
    try (InputStream in = replay.body().open()) {
      String type = "application/json";
      for (Map.Entry<String, String> h : replay.headers().entrySet()) {
        if (h.getKey().equalsIgnoreCase("Content-Type")) type = h.getValue();
        else x.header(h.getKey(), h.getValue());
      }
      x.header(REPLAYED_HEADER, "true");
      try (OutputStream out = x.open(replay.status(), type)) {
        in.transferTo(out);
      }
    }
  }
}
