package io.imagegate.engine;

import io.imagegate.metrics.GatewayMetrics;
import io.imagegate.api.ApiException;
import io.imagegate.api.ImageRequest;
import io.imagegate.idempotency.Recording;
import io.imagegate.imagestore.ImageStore;
import io.imagegate.provider.EventStream;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageRelay;
import io.imagegate.provider.UpstreamException;
import io.imagegate.usage.BudgetGuard;
import io.imagegate.usage.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writing one answer, in one of its three forms: held whole (the local engine, a small upstream answer, an
 * upstream event stream), relayed as it arrives, or relayed into the image store for {@code url} answers.
 * Each form records the charge at the point where a complete answer must already be in the ledger.
 */
final class Answering {
  private static final Logger LOG = LoggerFactory.getLogger(Answering.class);

  private final Exchange x;
  private final ChargeRecorder.Call call;
  private final ImageRequest request;
  private final ImageJob job;
  private final ImagePipeline.Answer answer;
  private final BudgetGuard.Reservation held;
  private final Recording recording;
  private final ChargeRecorder charges;
  private final ImageStore images;
  private final String publicUrl;
  private final GatewayMetrics metrics;
  private final Map<String, String> headers = new LinkedHashMap<>();

  Answering(Exchange x, ChargeRecorder.Call call, ImageRequest request, ImageJob job, ImagePipeline.Answer answer,
      BudgetGuard.Reservation held, Recording recording, ChargeRecorder charges, ImageStore images,
      String publicUrl, GatewayMetrics metrics) {
    this.metrics = metrics;
    this.charges = charges;
    this.images = images;
    this.publicUrl = publicUrl;
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
      charges.success(call, request, job, answer.deployment(), answer.provider(), answer.upstreamModel(), answer.facts(), images,
          answer.usage(), held);
      OutputStream out = open(stream ? "text/event-stream" : "application/json");
      long created = System.currentTimeMillis() / 1000;
      Runnable firstPartial = () -> metrics.firstPartial(request.modelOrDefault(), answer.provider(),
          System.nanoTime() - call.startNanos());
      if (events.isPresent()) EventWriter.relay(out, events.get(), firstPartial);
      else if (stream) EventWriter.write(out, answer, created, firstPartial);
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
    ClientStream out = new ClientStream(open("application/json"));
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
      charges.success(call, request, job, answer.deployment(), answer.provider(), answer.upstreamModel(),
          end.facts(), end.images(), usage, held);
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
    charges.success(call, request, job, answer.deployment(), answer.provider(), answer.upstreamModel(),
        end.facts(), end.images(), usage, held);
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
    header(ImageService.PROVIDER_HEADER, answer.provider());
    if (answer.deployment() != null) header(ImageService.DEPLOYMENT_HEADER, answer.deployment());
    if (answer.attempts() != null) header(ImageService.ATTEMPTS_HEADER, answer.attempts());
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
