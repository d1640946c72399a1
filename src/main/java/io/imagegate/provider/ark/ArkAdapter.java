package io.imagegate.provider.ark;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.api.ApiException;
import io.imagegate.provider.OpaqueVendorRefusals;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ModelCatalog;
import io.imagegate.api.ModelFamily;
import io.imagegate.api.ModelSpec;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.image.ImageInfo;
import io.imagegate.image.ImageProbe;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.FanOut;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageProvider;
import io.imagegate.provider.Transcoder;
import io.imagegate.provider.UpstreamPost;
import io.imagegate.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One ModelArk deployment as one attempt: refuses before any call what Seedream cannot honour, then draws
 * the request's {@code n} images as single-image calls in parallel ({@link FanOut}), keeps those that came
 * and bills only them. Seedream draws JPEG: it is answered as it came unless the client named an
 * {@code output_format}, which is then transcoded. {@code watermark} (a boolean) is the one field of Ark's own
 * a client may add; it defaults to false.
 */
final class ArkAdapter implements ImageProvider {
  /** A 4K JPEG is a few MB; base64 adds a third. */
  private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

  private final DeploymentConfig deployment;
  private final ArkEndpoints endpoints;
  private final UpstreamPost post;
  private final int parallel;

  ArkAdapter(DeploymentConfig deployment, ArkEndpoints endpoints) {
    this.deployment = deployment;
    this.endpoints = endpoints;
    this.post = new UpstreamPost(deployment, MAX_ANSWER_BYTES);
    this.parallel = parallel(deployment.option(ArkProvider.MAX_PARALLEL));
  }

  @Override
  public String name() { return "ark"; }

  @Override
  public ApiException refusal(ImageJob job) {
    ImageOptions o = job.options();
    String where = " by the ModelArk deployment " + deployment.name();
    ModelSpec rules = rules(job);
    if (rules == null) {
      return ApiException.invalidValue("model", "The ModelArk deployment " + deployment.name() + " serves Seedream;"
          + " give it a model: of " + seedreamModels() + ", or route it with rules: one of them.");
    }
    ApiException common = OpaqueVendorRefusals.of(job, where, "Seedream", "the size decides the detail");
    if (common != null) return common;
    if (o.inputFidelity() != null) {
      return ApiException.invalidValue("input_fidelity", "'input_fidelity' is not supported" + where + "; remove it.");
    }
    if (!Transcoder.canWrite(o.format())) {
      return ApiException.invalidValue("output_format", "webp output is not available on this server; use png or jpeg.");
    }
    for (Map.Entry<String, JsonNode> e : o.sent().extra().entrySet()) {
      if (!e.getKey().equals("watermark")) return ApiException.unknownParameter(e.getKey());
      if (!e.getValue().isBoolean()) {
        return ApiException.invalidValue("watermark", "'watermark' must be true or false.");
      }
    }
    if (o.size() != null) {
      try {
        rules.sizes().check(o.size());
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
    JsonNode mark = o.sent().extra().get("watermark");
    byte[] body = ArkRequests.body(job, upstreamModel(job), mark != null && mark.asBoolean());
    long end = post.end(deadlineNanos);
    boolean requestFirst = end == deadlineNanos;
    List<ArkAnswers.Drawn> drawn = FanOut.run(o.n(), parallel, () -> ArkAnswers.parse(
        post.post(endpoints.generations(), endpoints::authorize, body, end, requestFirst,
            (status, headers, error) -> ArkAnswers.error(status, headers, error, endpoints.secrets())),
        endpoints.secrets()));
    boolean asked = o.sent().outputFormat() != null;
    List<byte[]> images = new ArrayList<>(drawn.size());
    long tokens = 0;
    for (ArkAnswers.Drawn d : drawn) {
      String param = "data[" + images.size() + "]";
      images.add(asked ? Transcoder.toFormat(d.image(), o.format(), o.compression(), param) : d.image());
      tokens += d.usage().imageOut();
    }
    ImageInfo first = ImageProbe.inspect(images.get(0), "data[0]");
    String format = asked ? o.format().wire() : first.format().name().toLowerCase(java.util.Locale.ROOT);
    AnswerFacts facts = new AnswerFacts(first.width() + "x" + first.height(), "auto", o.background().wire(), format);
    Optional<Usage> usage = Optional.of(new Usage(0, 0, tokens));
    return ImageBatch.of(images, facts, usage);
  }

  /**
   * The Seedream rules that apply: the deployment's model's when the catalogue knows it, else the route's
   * (a deployment naming an {@code ep-…} endpoint takes its route's); null when neither is Seedream.
   */
  private ModelSpec rules(ImageJob job) {
    ModelSpec own = deployment.model() == null ? null : ModelCatalog.find(deployment.model()).orElse(null);
    if (own != null && own.family() == ModelFamily.SEEDREAM) return own;
    ModelSpec route = job.options().model();
    return route.family() == ModelFamily.SEEDREAM ? route : null;
  }

  /** The model asked of the upstream: the deployment's {@code model:} (an id or an endpoint), else the route's. */
  private String upstreamModel(ImageJob job) {
    return deployment.model() != null ? deployment.model() : job.options().model().id();
  }

  private static String seedreamModels() {
    return String.join(", ", ModelCatalog.ids().stream()
        .filter(id -> ModelCatalog.find(id).orElseThrow().family() == ModelFamily.SEEDREAM).toList());
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
