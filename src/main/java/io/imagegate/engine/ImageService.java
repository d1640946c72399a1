package io.imagegate.engine;

import io.imagegate.api.ApiException;
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
import io.imagegate.provider.EventStream;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageRelay;
import io.imagegate.provider.UpstreamException;
import io.imagegate.ratelimit.Decision;
import io.imagegate.ratelimit.RateLimiter;
import io.imagegate.usage.BudgetGuard;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.Pricing;
import io.imagegate.usage.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
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
  private final Admission admission;
  private final Duration totalDeadline;

  /** What the service is built from. */
  public record Parts(ModelRouter router, ImagePipeline pipeline, RateLimiter limiter, IdempotencyStore idempotency,
      ImageStore images, String publicUrl, JdbcUsageLedger ledger, Pricing pricing, boolean keepPrompts,
      BudgetGuard budgets, Admission admission, Duration totalDeadline) {}

  public ImageService(Parts p) {
    this.router = p.router();
    this.pipeline = p.pipeline();
    this.limiter = p.limiter();
    this.idempotency = p.idempotency();
    this.images = p.images();
    this.publicUrl = p.publicUrl();
    this.charges = new ChargeRecorder(p.ledger(), p.pricing(), p.keepPrompts(), p.budgets());
    this.admission = p.admission();
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
    ChargeRecorder.Call call = new ChargeRecorder.Call(x.requestId(), key, operation, System.nanoTime());
    long deadline = call.startNanos() + totalDeadline.toNanos();
    ImageRequest request = null;
    try (Admission.Ticket ticket = admission.enter(declaredBytes)) {
      if (!key.scopes().contains(ApiKey.SCOPE_IMAGES)) {
        throw new ApiException(403, "permission_denied", null, "scope_required", "This API key lacks the 'images'"
            + " scope, so it may not call the images endpoints.");
      }
      request = body.read();
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
      case Outcome.Replay replay -> replay(x, replay);
      case Outcome.Conflict conflict ->
          throw new ApiException(409, "invalid_request_error", null, "idempotency_key_reused", conflict.message());
      case Outcome.StillRunning running ->
          throw new ApiException(409, "invalid_request_error", null, "idempotency_key_in_use", running.message());
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
        try {
          answer = pipeline.start(job, route, deadline);
        } catch (UpstreamException e) {
          if (e.kind() != UpstreamException.Kind.CANCELLED && !watch.clientGone()) throw e;
          LOG.info("client hung up while waiting; its upstream call was cancelled");
          charges.failure(call, request, 499, "client_closed_request");
          x.abort();
          return;
        }
      }
      Answering a = new Answering(x, call, request, job, answer, held, recording);
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

  /** Writing one answer. */
  private final class Answering {
    private final Exchange x;
    private final ChargeRecorder.Call call;
    private final ImageRequest request;
    private final ImageJob job;
    private final ImagePipeline.Answer answer;
    private final BudgetGuard.Reservation held;
    private final Recording recording;
    private final Map<String, String> headers = new LinkedHashMap<>();

    Answering(Exchange x, ChargeRecorder.Call call, ImageRequest request, ImageJob job, ImagePipeline.Answer answer,
        BudgetGuard.Reservation held, Recording recording) {
      this.x = x;
      this.call = call;
      this.request = request;
      this.job = job;
      this.answer = answer;
      this.held = held;
      this.recording = recording;
    }

    /** An answer held whole (the local engine, a small upstream answer) or an upstream event stream. */
    void held() throws IOException {
      Optional<EventStream> events = answer.batch().events();
      boolean stream = job.options().stream();
      boolean urls = events.isEmpty() && !stream && job.options().responseFormat().equals("url");
      // Every image is kept before anything is charged or sent, so a store that fails is a clean error, not a
      // 200 cut off after its first URL.
      List<String> links = urls ? keep(answer) : null;
      try {
        // The charge is durable before the first byte of the answer leaves: an answered 200 is in the ledger.
        int images = events.isPresent() ? job.options().n() : answer.batch().count();
        charges.success(call, request, job, answer.deployment(), answer.provider(), answer.facts(), images,
            answer.usage(), held);
        OutputStream out = open(stream ? "text/event-stream" : "application/json");
        long created = System.currentTimeMillis() / 1000;
        if (events.isPresent()) EventWriter.relay(out, events.get());
        else if (stream) EventWriter.write(out, answer, created);
        else if (urls) AnswerWriter.writeUrls(out, answer, created, links);
        else AnswerWriter.write(out, answer, created);
        out.close();
        if (recording != null) recording.complete(200, headers);
      } catch (IOException e) {
        LOG.info("client went away while its answer was being written");
      } finally {
        events.ifPresent(EventStream::close);
      }
    }

    /**
     * An upstream answer still arriving: its images go to the client as they come. The charge is recorded
     * once the upstream's answer is complete and before the answer's closing bytes, so a complete 200 is
     * always in the ledger; if the upstream breaks off midway the client's connection is aborted and nothing
     * is charged. A client that leaves midway is still charged what the upstream completed.
     */
    void relayed(ImageRelay relay) throws IOException {
      Guarded out = new Guarded(open("application/json"));
      long created = System.currentTimeMillis() / 1000;
      ImageRelay.End end;
      try {
        AnswerWriter.writeRelayed(out, relay, created);
        end = relay.finish();
      } catch (IOException | UpstreamException e) {
        LOG.warn("the upstream's answer broke off after it began ({}); the client's answer was aborted",
            e.getMessage());
        charges.failure(call, request, 502, "upstream_broke_off");
        x.abort();
        return;
      }
      Usage usage = end.usage().orElseGet(() -> ImagePipeline.computeUsage(job, end.facts(), end.images()));
      try {
        charges.success(call, request, job, answer.deployment(), answer.provider(), end.facts(), end.images(), usage,
            held);
      } catch (RuntimeException e) {
        LOG.error("the charge of request {} could not be recorded; its answer was aborted: {}", call.requestId(),
            e.getMessage());
        x.abort();
        return;
      }
      AnswerWriter.writeRelayedEnd(out, end.facts(), usage);
      out.close();
      if (out.failed()) {
        LOG.info("client went away while its answer was being written");
      } else if (recording != null) {
        recording.complete(200, headers);
      }
    }

    /**
     * A relayed answer asked as URLs: each image is decoded into the image store as it arrives, and the answer,
     * all or nothing, is written only once every image is kept.
     */
    void relayedUrls(ImageRelay relay) throws IOException {
      String mime;
      List<String> links = new ArrayList<>();
      ImageRelay.End end;
      try {
        List<byte[]> kept = new ArrayList<>();
        while (relay.next()) {
          ByteArrayOutputStream base64 = new ByteArrayOutputStream(1 << 20);
          relay.copy(base64);
          kept.add(Base64.getDecoder().decode(base64.toByteArray()));
        }
        end = relay.finish();
        mime = "image/" + end.facts().outputFormat();
        String base = base();
        for (byte[] image : kept) links.add(base + images.save(image, mime).path());
      } catch (IOException | UpstreamException e) {
        throw new ApiException(502, "upstream_error", null, "upstream_error", "The upstream's answer broke off"
            + " before it was complete; nothing was charged.");
      }
      Usage usage = end.usage().orElseGet(() -> ImagePipeline.computeUsage(job, end.facts(), end.images()));
      charges.success(call, request, job, answer.deployment(), answer.provider(), end.facts(), end.images(), usage,
          held);
      try {
        OutputStream out = open("application/json");
        AnswerWriter.writeUrls(out, links, end.facts(), usage, System.currentTimeMillis() / 1000);
        out.close();
        if (recording != null) recording.complete(200, headers);
      } catch (IOException e) {
        LOG.info("client went away while its answer was being written");
      }
    }

    private OutputStream open(String contentType) throws IOException {
      header("Content-Type", contentType);
      header(PROVIDER_HEADER, answer.provider());
      if (answer.deployment() != null) header(DEPLOYMENT_HEADER, answer.deployment());
      if (answer.attempts() != null) header(ATTEMPTS_HEADER, answer.attempts());
      if (contentType.startsWith("text/event-stream")) header("Cache-Control", "no-cache");
      OutputStream socket = x.open(200, contentType);
      return recording == null ? socket : recording.tee(socket);
    }

    /** An answer header, remembered for a replay (never anything about the caller). */
    private void header(String name, String value) {
      if (!name.equals("Content-Type")) x.header(name, value);
      headers.put(name, value);
    }

    private String base() { return publicUrl != null ? publicUrl : x.baseUrl(); }

    /** Keeps each image in the image store and gives back its absolute, signed URL, in order. */
    private List<String> keep(ImagePipeline.Answer answer) {
      String mime = "image/" + answer.facts().outputFormat();
      List<String> links = new ArrayList<>(answer.batch().count());
      for (int i = 0; i < answer.batch().count(); i++) links.add(base() + images.save(answer.batch().image(i), mime).path());
      return links;
    }
  }

  /** The client's stream, whose failure (the client left) stops the writing but not the reading. */
  private static final class Guarded extends OutputStream {
    private final OutputStream out;
    private boolean failed;

    Guarded(OutputStream out) { this.out = out; }

    boolean failed() { return failed; }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (failed) return;
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        failed = true;
      }
    }

    @Override
    public void flush() {
      if (failed) return;
      try {
        out.flush();
      } catch (IOException e) {
        failed = true;
      }
    }

    @Override
    public void close() {
      if (failed) return;
      try {
        out.close();
      } catch (IOException e) {
        failed = true;
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
