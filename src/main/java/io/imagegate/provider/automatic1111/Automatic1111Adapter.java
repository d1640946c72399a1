package io.imagegate.provider.automatic1111;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.api.ApiException;
import io.imagegate.api.Background;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageSize;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.image.ImageInfo;
import io.imagegate.image.ImageProbe;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.EventStream;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageProvider;
import io.imagegate.provider.Transcoder;
import io.imagegate.provider.UpstreamException;
import io.imagegate.usage.Usage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One A1111 deployment as one attempt: refuses before any call what the box cannot honour or its settings
 * forbid (a size off its limits, {@code n} over {@code max_n}, a field its {@code passthrough} does not
 * list, a transparent background), then draws all {@code n} images in one {@code txt2img} (or, for an edit,
 * {@code img2img}) call. Answered as drawn when PNG is asked (the box's default), else transcoded. With
 * {@code stream: true} the answer is a {@link ProgressStream} of the call's previews. Zero tokens are
 * reported: the ledger prices each image ({@code prices.<model>.per_image}).
 */
final class Automatic1111Adapter implements ImageProvider {
  /** How long a stream waits for a call that fails at once (a dead box) before answering its first byte. */
  private static final Duration EARLY_FAILURE = Duration.ofMillis(250);

  private final DeploymentConfig deployment;
  private final Automatic1111Settings settings;
  private final Automatic1111Endpoints endpoints;

  Automatic1111Adapter(DeploymentConfig deployment, Automatic1111Settings settings, Automatic1111Endpoints endpoints) {
    this.deployment = deployment;
    this.settings = settings;
    this.endpoints = endpoints;
  }

  @Override
  public String name() { return "automatic1111"; }

  @Override
  public ApiException refusal(ImageJob job) {
    ImageOptions o = job.options();
    String where = " by the AUTOMATIC1111 deployment " + deployment.name();
    if (o.background() == Background.TRANSPARENT) {
      return ApiException.invalidValue("background", "A transparent background is not supported" + where
          + "; it draws opaque images (use 'opaque' or 'auto').");
    }
    if (o.inputFidelity() != null) {
      return ApiException.invalidValue("input_fidelity", "'input_fidelity' is not supported" + where + "; remove it.");
    }
    if (o.sent().moderation() != null && !o.sent().moderation().equals("auto")) {
      return ApiException.invalidValue("moderation", "'moderation' " + o.sent().moderation() + " is not supported"
          + where + "; remove it.");
    }
    if (job.inputs().size() > 1) {
      return ApiException.invalidValue("image", "An edit" + where + " takes one input image, got "
          + job.inputs().size() + ".");
    }
    if (!Transcoder.canWrite(o.format())) {
      return ApiException.invalidValue("output_format", "webp output is not available on this server; use png or jpeg.");
    }
    for (Map.Entry<String, JsonNode> e : o.sent().extra().entrySet()) {
      ApiException bad = settings.passthrough.check(e.getKey(), e.getValue());
      if (bad != null) return bad;
    }
    try {
      settings.size(o.size());
      settings.batches(o.n());
    } catch (ApiException e) {
      return e;
    }
    return null;
  }

  @Override
  public ImageBatch start(ImageJob job, long deadlineNanos) {
    ApiException refused = refusal(job);
    if (refused != null) throw refused;
    ImageOptions o = job.options();
    ImageSize size = settings.size(o.size());
    byte[] body = Automatic1111Requests.body(job, size, settings.batches(o.n()), settings.steps(o.sent().quality()),
        deployment.model());
    URI uri = job.inputs().isEmpty() ? endpoints.txt2img() : endpoints.img2img();
    Automatic1111Call call = new Automatic1111Call(deployment, endpoints, uri, body, o.n(), deadlineNanos);
    String quality = o.sent().quality() == null ? "auto" : o.sent().quality();
    Optional<Usage> usage = Optional.of(new Usage(0, 0, 0)); // A1111 counts nothing; the ledger bills per image
    if (o.stream()) {
      try {
        if (call.waitFor(EARLY_FAILURE)) call.await(deadlineNanos); // a dead box still falls back
      } catch (InterruptedException e) {
        call.cancel();
        Thread.currentThread().interrupt();
        throw UpstreamException.cancelled();
      }
      AnswerFacts facts = new AnswerFacts(size.toString(), quality, "opaque", o.format().wire());
      EventStream events = new ProgressStream(call, o.operation().eventPrefix(), o.partialImages(),
          Duration.ofMillis(settings.progressIntervalMs), deadlineNanos, facts, o.format(), o.compression());
      return streamed(o.n(), facts, usage, events);
    }
    List<byte[]> images = new ArrayList<>();
    for (byte[] drawn : call.await(deadlineNanos)) {
      images.add(Transcoder.toFormat(drawn, o.format(), o.compression(), "data[" + images.size() + "]"));
    }
    ImageInfo first = ImageProbe.inspect(images.get(0), "data[0]");
    AnswerFacts facts = new AnswerFacts(first.width() + "x" + first.height(), quality, "opaque", o.format().wire());
    return ImageBatch.of(images, facts, usage);
  }

  private static ImageBatch streamed(int n, AnswerFacts facts, Optional<Usage> usage, EventStream events) {
    return new ImageBatch() {
      @Override
      public int count() { return n; }

      @Override
      public byte[] image(int index) { throw new IllegalStateException("a streamed answer is read as its events"); }

      @Override
      public AnswerFacts facts() { return facts; }

      @Override
      public Optional<Usage> reportedUsage() { return usage; }

      @Override
      public Optional<EventStream> events() { return Optional.of(events); }
    };
  }
}
