package io.imagegate.engine;

import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageRef;
import io.imagegate.api.ImageRequest;
import io.imagegate.api.Quality;
import io.imagegate.api.RequestValidator;
import io.imagegate.image.ImageSourceResolver;
import io.imagegate.image.InputImage;
import io.imagegate.image.MaskRule;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.usage.TokenMeter;
import io.imagegate.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a request read off the wire into a running provider call: validates it for its model, fetches and
 * checks its input images, runs the route's deployments and works out the usage. Every refusal of the
 * client's input happens here, before any drawing starts.
 */
public final class ImagePipeline {
  private final RequestValidator validator;
  private final ImageSourceResolver images;

  public ImagePipeline(RequestValidator validator, ImageSourceResolver images) {
    this.validator = validator;
    this.images = images;
  }

  /**
   * A started answer.
   *
   * @param provider the kind of provider that drew it ({@code imagegate-local}, {@code openai}, …)
   * @param deployment the deployment that drew it
   * @param attempts the attempts it took, {@code deployment:status} comma-separated
   * @param upstreamModel the model the deployment that drew it names upstream ({@code model:}), or null
   * @param usage the whole answer's usage (for a relayed stream, the events carry it instead)
   */
  public record Answer(ImageJob job, String provider, String deployment, String attempts, String upstreamModel,
      ImageBatch batch, AnswerFacts facts, Usage usage) {}

  /** Validates the request for its model's rules: every refusal of its fields. */
  public ImageOptions validate(ImageRequest request, ModelRouter.Route route) {
    return validator.validate(request, route.model());
  }

  /** Fetches and checks the input images of a validated request. */
  public ImageJob prepare(ImageRequest request, ImageOptions options) {
    List<InputImage> inputs = new ArrayList<>(request.images().size());
    for (ImageRef ref : request.images()) inputs.add(resolve(ref));
    InputImage mask = request.mask() == null ? null : resolve(request.mask());
    if (mask != null && !inputs.isEmpty()) MaskRule.check(mask.info(), inputs.get(0).info());
    return new ImageJob(options, List.copyOf(inputs), mask);
  }

  /** The most this job can cost in tokens: what it asks for, at the largest standard size when {@code auto}. */
  public static Usage worstCase(ImageJob job) {
    ImageOptions o = job.options();
    List<String> sizes = o.size() != null ? List.of(o.size().toString()) : List.of("1024x1024", "1536x1024", "1024x1536");
    Usage worst = new Usage(0, 0, 0);
    long text = TokenMeter.textTokens(o.prompt()); // once: the tokenizer is the costly part
    for (String size : sizes) {
      Usage u = computeUsage(job, new AnswerFacts(size, o.quality().wire(), o.background().wire(), o.format().wire()),
          o.n(), text);
      if (u.totalTokens() > worst.totalTokens()) worst = u;
    }
    return worst;
  }

  /**
   * Runs the route's deployments for a prepared job and works out the answer's usage (for an answer still
   * arriving, its relay's end gives both).
   *
   * @param deadline the {@link System#nanoTime()} by which the call must be answered
   */
  public Answer start(ImageJob job, ModelRouter.Route route, long deadline) {
    ImageBatch batch = route.provider().start(job, deadline);
    AnswerFacts facts = batch.facts();
    Usage usage = batch.relay().isPresent() ? new Usage(0, 0, 0)
        : batch.reportedUsage().orElseGet(() -> computeUsage(job, facts, batch.count()));
    if (batch instanceof RoutedBatch routed) {
      return new Answer(job, routed.providerName(), routed.deploymentName(), routed.attempts(), routed.upstreamModel(),
          batch, facts, usage);
    }
    return new Answer(job, route.provider().name(), null, null, null, batch, facts, usage);
  }

  /** One image's output tokens at the answered size and quality (the request's quality if unreadable). */
  private static long outputTokens(ImageOptions o, AnswerFacts facts) {
    Quality quality = o.quality();
    for (Quality q : Quality.values()) {
      if (q.wire().equals(facts.quality())) quality = q;
    }
    try {
      String[] size = facts.size().toLowerCase(Locale.ROOT).split("x");
      return TokenMeter.outputTokens(o.model().family(), Integer.parseInt(size[0]), Integer.parseInt(size[1]), quality);
    } catch (RuntimeException unreadableSize) {
      return 0;
    }
  }

  private InputImage resolve(ImageRef ref) {
    return ref.bytes() != null ? images.fromBytes(ref.bytes(), ref.param()) : images.resolve(ref.reference(), ref.param());
  }

  /** Spec §7: prompt tokens, each input image once, and the output tokens of each image answered. */
  static Usage computeUsage(ImageJob job, AnswerFacts facts, int images) {
    return computeUsage(job, facts, images, TokenMeter.textTokens(job.options().prompt()));
  }

  private static Usage computeUsage(ImageJob job, AnswerFacts facts, int images, long text) {
    ImageOptions o = job.options();
    boolean high = "high".equals(o.inputFidelity());
    long imageIn = 0;
    for (InputImage in : job.inputs()) {
      imageIn += TokenMeter.inputImageTokens(o.model().family(), in.info().width(), in.info().height(), high);
    }
    // Streamed partial images cost 100 output tokens each, as upstream (spec §6).
    long partials = o.stream() ? (long) images * o.partialImages() * 100 : 0;
    return new Usage(text, imageIn, images * outputTokens(o, facts) + partials);
  }
}
