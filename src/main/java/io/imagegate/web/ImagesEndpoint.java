package io.imagegate.web;

import io.imagegate.api.ApiException;
import io.imagegate.api.ImageRequest;
import io.imagegate.api.Operation;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Authenticator;
import io.imagegate.engine.ImagePipeline;
import io.imagegate.engine.ModelRouter;
import io.imagegate.idempotency.IdempotencyStore;
import io.imagegate.idempotency.Outcome;
import io.imagegate.idempotency.Recording;
import io.imagegate.imagestore.ImageStore;
import io.imagegate.provider.EventStream;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.UpstreamException;
import io.imagegate.usage.BudgetGuard;
import io.imagegate.ratelimit.Decision;
import io.imagegate.ratelimit.RateLimiter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/images/generations} and {@code POST /v1/images/edits}: read, route, run, and stream the
 * answer; with an {@code Idempotency-Key}, record the answer so that a retry gets it back byte for byte.
 */
final class ImagesEndpoint {
  static final String PROVIDER_HEADER = "x-imagegate-provider";
  static final String DEPLOYMENT_HEADER = "x-imagegate-deployment";
  static final String ATTEMPTS_HEADER = "x-imagegate-attempts";
  static final String REPLAYED_HEADER = "x-imagegate-idempotent-replayed";
  /** The answer headers a replay repeats; never anything about the caller. */
  private static final List<String> RECORDED_HEADERS = List.of("Content-Type", "Cache-Control", PROVIDER_HEADER,
      DEPLOYMENT_HEADER, ATTEMPTS_HEADER);
  private static final Logger LOG = LoggerFactory.getLogger(ImagesEndpoint.class);

  private final RequestBodies bodies;
  private final ModelRouter router;
  private final ImagePipeline pipeline;
  private final IdempotencyStore idempotency;
  private final ImageStore images;
  private final String publicUrl;
  private final UsageRecorder usage;
  private final RateLimiter limiter;

  ImagesEndpoint(RequestBodies bodies, ModelRouter router, ImagePipeline pipeline, IdempotencyStore idempotency,
      ImageStore images, String publicUrl, UsageRecorder usage, RateLimiter limiter) {
    this.usage = usage;
    this.limiter = limiter;
    this.bodies = bodies;
    this.router = router;
    this.pipeline = pipeline;
    this.idempotency = idempotency;
    this.images = images;
    this.publicUrl = publicUrl;
  }

  void generations(Context ctx) throws IOException { handle(ctx, Operation.GENERATION); }

  void edits(Context ctx) throws IOException { handle(ctx, Operation.EDIT); }

  /** Every request that got past authentication leaves one ledger row: charged on success, free on failure. */
  private void handle(Context ctx, Operation operation) throws IOException {
    long start = System.nanoTime();
    ApiKey key = ctx.attribute(GatewayServer.KEY_ATTRIBUTE);
    ImageRequest request = null;
    try {
      if (!key.scopes().contains(ApiKey.SCOPE_IMAGES)) {
        throw new ApiException(403, "permission_denied", null, "scope_required", "This API key lacks the 'images'"
            + " scope, so it may not call the images endpoints.");
      }
      request = bodies.read(ctx, operation);
      limit(ctx, key, request);
      handle(ctx, operation, request, key, start);
    } catch (ApiException e) {
      usage.failure(ctx, key, request, operation, e, start);
      throw e;
    }
  }

  /** The key's requests- and images-per-minute limits; every answer carries the {@code x-ratelimit-*} headers. */
  private void limit(Context ctx, ApiKey key, ImageRequest request) {
    int images = request.n() == null || request.n() < 1 ? 1 : request.n();
    Decision decision = limiter.acquire(key.id(), key.rpm(), key.ipm(), images);
    decision.headers().forEach(ctx::header);
    if (decision.allowed()) return;
    String which = decision.requests() != null && decision.requests().remaining() < 1 ? "requests" : "images";
    ApiException e = new ApiException(429, "requests", null, "rate_limit_exceeded", "Rate limit reached for this"
        + " API key: " + ("requests".equals(which) ? key.rpm() + " requests" : key.ipm() + " images")
        + " per minute. Try again in " + decision.headers().get("Retry-After") + " s.");
    decision.headers().forEach(e::withHeader);
    throw e;
  }

  private void handle(Context ctx, Operation operation, ImageRequest request, ApiKey key, long start)
      throws IOException {
    String idempotencyKey = ctx.header("Idempotency-Key");
    if (idempotencyKey == null) {
      answer(ctx, request, key, null, operation, start);
      return;
    }
    if (!IdempotencyStore.validKey(idempotencyKey)) {
      throw new ApiException(400, "invalid_request_error", null, "invalid_idempotency_key", "The Idempotency-Key"
          + " header must be 1 to 255 visible ASCII characters.");
    }
    Outcome outcome = idempotency.begin(key.id(), idempotencyKey, RequestFingerprint.of(ctx.path(), request));
    switch (outcome) {
      case Outcome.Replay replay -> replay(ctx, replay);
      case Outcome.Conflict conflict ->
          throw new ApiException(409, "invalid_request_error", null, "idempotency_key_reused", conflict.message());
      case Outcome.StillRunning running ->
          throw new ApiException(409, "invalid_request_error", null, "idempotency_key_in_use", running.message());
      case Outcome.Proceed proceed -> {
        try (Recording recording = proceed.recording()) {
          answer(ctx, request, key, recording, operation, start);
        }
      }
    }
  }

  /** Runs the request and streams its answer; a recording, when given, keeps a copy of every byte sent. */
  private void answer(Context ctx, ImageRequest request, ApiKey key, Recording recording, Operation operation,
      long start) throws IOException {
    ModelRouter.Route route = router.route(request.modelOrDefault());
    Authenticator.checkModel(key, route.id());
    ImageJob job = pipeline.prepare(request, route);
    try (BudgetGuard.Reservation held = usage.reserve(key, job)) {
      respond(ctx, request, key, recording, operation, start, route, job, held);
    }
  }

  private void respond(Context ctx, ImageRequest request, ApiKey key, Recording recording, Operation operation,
      long start, ModelRouter.Route route, ImageJob job, BudgetGuard.Reservation held) throws IOException {
    ImagePipeline.Answer answer;
    try (ClientWatch watch = ClientWatch.start(ctx.req())) {
      try {
        answer = pipeline.start(job, route);
      } catch (UpstreamException e) {
        if (e.kind() != UpstreamException.Kind.CANCELLED && !watch.clientGone()) throw e;
        LOG.info("client hung up while waiting; its upstream call was cancelled");
        usage.failure(ctx, key, request, operation, 499, "client_closed_request", start);
        ctx.attribute(ErrorAnswer.ANSWERED, Boolean.TRUE);
        return;
      }
      if (watch.readAhead()) ctx.header("Connection", "close");
    }
    Optional<EventStream> relayed = answer.batch().events();
    boolean urls = relayed.isEmpty() && !answer.job().options().stream()
        && answer.job().options().responseFormat().equals("url");
    // Every image is kept before anything is charged or sent, so a store that fails is a clean error, not a
    // 200 cut off after its first URL.
    List<String> links = urls ? keep(ctx, answer) : null;
    try {
      // The charge is durable before the first byte of the answer leaves: an answered 200 is in the ledger.
      usage.success(ctx, key, request, operation, answer, start, held);
      ctx.attribute(ErrorAnswer.ANSWERED, Boolean.TRUE);
      boolean stream = answer.job().options().stream();
      ctx.status(200).contentType(stream ? "text/event-stream" : "application/json")
          .header(PROVIDER_HEADER, answer.provider());
      if (answer.deployment() != null) ctx.header(DEPLOYMENT_HEADER, answer.deployment());
      if (answer.attempts() != null) ctx.header(ATTEMPTS_HEADER, answer.attempts());
      if (stream) ctx.header("Cache-Control", "no-cache");
      OutputStream socket = ctx.res().getOutputStream();
      OutputStream out = recording == null ? socket : recording.tee(socket);
      long created = System.currentTimeMillis() / 1000;
      if (relayed.isPresent()) {
        ImagesEventWriter.relay(out, relayed.get());
      } else if (stream) {
        ImagesEventWriter.write(out, answer, created);
      } else if (urls) {
        ImagesAnswerWriter.writeUrls(out, answer, created, links);
      } else {
        ImagesAnswerWriter.write(out, answer, created);
      }
      out.close();
      if (recording != null) recording.complete(200, recordedHeaders(ctx));
    } catch (EofException e) {
      LOG.info("client went away while its answer was being written");
    } finally {
      relayed.ifPresent(EventStream::close);
    }
  }

  /** Keeps each image in the image store and gives back its absolute, signed URL, in order. */
  private List<String> keep(Context ctx, ImagePipeline.Answer answer) {
    String base = publicUrl != null ? publicUrl : ctx.scheme() + "://" + ctx.host();
    String mime = "image/" + answer.facts().outputFormat();
    List<String> links = new ArrayList<>(answer.batch().count());
    for (int i = 0; i < answer.batch().count(); i++) links.add(base + images.save(answer.batch().image(i), mime).path());
    return links;
  }

  private static Map<String, String> recordedHeaders(Context ctx) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : RECORDED_HEADERS) {
      String value = ctx.res().getHeader(name);
      if (value != null) headers.put(name, value);
    }
    return headers;
  }

  /** The first answer again, byte for byte, with no new generation and no new charge. */
  private static void replay(Context ctx, Outcome.Replay replay) throws IOException {
    // Opened first: a body gone since begin() is still an ordinary error answer, nothing sent yet.
    try (InputStream in = replay.body().open()) {
      ctx.attribute(ErrorAnswer.ANSWERED, Boolean.TRUE);
      ctx.status(replay.status());
      replay.headers().forEach(ctx::header);
      ctx.header(REPLAYED_HEADER, "true");
      try (OutputStream out = ctx.res().getOutputStream()) {
        in.transferTo(out);
      }
    }
  }
}
