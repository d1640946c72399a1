package io.imagegate.provider.gemini;

import io.imagegate.api.ApiException;
import io.imagegate.provider.OpaqueVendorRefusals;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ModelCatalog;
import io.imagegate.api.ModelSpec;
import io.imagegate.api.SizeRule;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.image.ImageInfo;
import io.imagegate.image.ImageProbe;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.FanOut;
import io.imagegate.provider.ImageProvider;
import io.imagegate.provider.Transcoder;
import io.imagegate.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Gemini deployment as one attempt: refuses before any call what its model cannot honour, then draws
 * the request's {@code n} images as single-image calls in parallel ({@link FanOut}), keeps those that came,
 * and bills only them (their summed {@code usageMetadata}). Gemini draws PNG: a request for JPEG or WebP is
 * transcoded here; a transparent background, a mask, partial images and any quality but {@code auto} are
 * refused. Retries, fallbacks and the breaker are the engine's business.
 */
final class GeminiAdapter implements ImageProvider {
  private final DeploymentConfig deployment;
  private final GeminiCall call;
  private final int parallel;

  GeminiAdapter(DeploymentConfig deployment, GeminiEndpoints endpoints) {
    this.deployment = deployment;
    this.call = new GeminiCall(deployment, endpoints);
    this.parallel = parallel(deployment.option(GeminiProvider.MAX_PARALLEL));
  }

  @Override
  public String name() { return "gemini"; }

  @Override
  public ApiException refusal(ImageJob job) {
    ImageOptions o = job.options();
    String where = " by the Gemini deployment " + deployment.name();
    ModelSpec model = ModelCatalog.find(upstreamModel(job)).orElse(null);
    if (model == null || !(model.sizes() instanceof SizeRule.AspectTiers sizes)) {
      return ApiException.invalidValue("model", "'" + upstreamModel(job) + "' is not a Gemini image model"
          + " served" + where + "; its model: must be one of " + geminiModels() + ".");
    }
    ApiException common = OpaqueVendorRefusals.of(job, where, "Gemini", "Gemini's tier follows the size (" + String.join(", ", sizes.tiers()) + ")");
    if (common != null) return common;
    if (o.inputFidelity() != null) {
      return ApiException.invalidValue("input_fidelity", "'input_fidelity' is not supported" + where + "; remove it.");
    }
    if (!Transcoder.canWrite(o.format())) {
      return ApiException.invalidValue("output_format", "webp output is not available on this server; use png or jpeg.");
    }
    if (!o.sent().extra().isEmpty()) return ApiException.unknownParameter(o.sent().extra().keySet().iterator().next());
    if (o.size() != null) {
      try {
        sizes.fit(o.size());
      } catch (ApiException e) {
        return e;
      }
    }
    return null;
  }

  @Override
  public ImageBatch start(ImageJob job, long deadlineNanos) {
    ApiException refused = refusal(job);
    if (refused != null) throw refused;
    ImageOptions o = job.options();
    String model = upstreamModel(job);
    SizeRule.AspectTiers sizes = (SizeRule.AspectTiers) ModelCatalog.find(model).orElseThrow().sizes();
    byte[] body = GeminiRequests.body(job, o.size() == null ? null : sizes.fit(o.size()), sizes.tiers().size() > 1);
    long end = call.end(deadlineNanos);
    boolean requestFirst = end == deadlineNanos;
    List<GeminiAnswers.Drawn> drawn = FanOut.run(o.n(), parallel, () -> call.draw(model, body, end, requestFirst));
    List<byte[]> images = new ArrayList<>(drawn.size());
    long textIn = 0, imageIn = 0, imageOut = 0;
    for (GeminiAnswers.Drawn d : drawn) {
      images.add(Transcoder.toFormat(d.image(), o.format(), o.compression(), "data[" + images.size() + "]"));
      textIn += d.usage().textIn();
      imageIn += d.usage().imageIn();
      imageOut += d.usage().imageOut();
    }
    ImageInfo first = ImageProbe.inspect(images.get(0), "data[0]");
    AnswerFacts facts = new AnswerFacts(first.width() + "x" + first.height(), "auto", o.background().wire(),
        o.format().wire());
    Optional<Usage> usage = Optional.of(new Usage(textIn, imageIn, imageOut));
    return ImageBatch.of(images, facts, usage);
  }

  /** The model asked of the upstream: the deployment's {@code model:}, else the route's rules. */
  private String upstreamModel(ImageJob job) {
    return deployment.model() != null ? deployment.model() : job.options().model().id();
  }

  private static String geminiModels() {
    return String.join(", ", ModelCatalog.ids().stream()
        .filter(id -> ModelCatalog.find(id).orElseThrow().sizes() instanceof SizeRule.AspectTiers).toList());
  }

  private int parallel(String value) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1) return n;
    } catch (NumberFormatException | NullPointerException notANumber) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("deployment " + deployment.name() + ": max_parallel must be a whole number"
        + " of at least 1, got '" + value + "'");
  }
}
