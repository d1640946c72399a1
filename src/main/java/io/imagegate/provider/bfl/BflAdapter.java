package io.imagegate.provider.bfl;

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
import io.imagegate.image.ImageSourceResolver;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.FanOut;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageProvider;
import io.imagegate.provider.Transcoder;
import io.imagegate.usage.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One BFL deployment as one attempt: refuses before any call what FLUX cannot honour, then draws the
 * request's {@code n} images as parallel tasks ({@link FanOut}, each a {@link BflTask}), keeps those that
 * came and bills only them. An image is answered as BFL drew it (PNG, or JPEG when asked), WebP transcoded.
 * BFL's own {@code seed}, {@code safety_tolerance} (0–6) and {@code prompt_upsampling} are the fields a
 * client may add.
 */
final class BflAdapter implements ImageProvider {
  private final DeploymentConfig deployment;
  private final BflTask tasks;
  private final int parallel;

  BflAdapter(DeploymentConfig deployment, BflEndpoints endpoints, ImageSourceResolver downloads) {
    this.deployment = deployment;
    this.parallel = count(BflProvider.MAX_PARALLEL);
    this.tasks = new BflTask(deployment, endpoints, downloads, Duration.ofMillis(count(BflProvider.POLL_INTERVAL_MS)));
  }

  @Override
  public String name() { return "bfl"; }

  @Override
  public ApiException refusal(ImageJob job) {
    ImageOptions o = job.options();
    String where = " by the BFL deployment " + deployment.name();
    ModelSpec rules = rules(job);
    if (rules == null) {
      return ApiException.invalidValue("model", "The BFL deployment " + deployment.name() + " serves FLUX;"
          + " give it a model: of " + fluxModels() + ", or route it with rules: one of them.");
    }
    ApiException common = OpaqueVendorRefusals.of(job, where, "FLUX", "the size decides the detail");
    if (common != null) return common;
    if (o.inputFidelity() != null) {
      return ApiException.invalidValue("input_fidelity", "'input_fidelity' is not supported" + where + "; remove it.");
    }
    if (!Transcoder.canWrite(o.format())) {
      return ApiException.invalidValue("output_format", "webp output is not available on this server; use png or jpeg.");
    }
    for (Map.Entry<String, JsonNode> e : o.sent().extra().entrySet()) {
      ApiException bad = ownField(e.getKey(), e.getValue());
      if (bad != null) return bad;
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
    byte[] body = BflRequests.body(job, rules(job).sizes());
    String model = deployment.model() != null ? deployment.model() : o.model().id();
    List<byte[]> drawn = FanOut.run(o.n(), parallel, () -> tasks.draw(model, body, deadlineNanos));
    boolean asked = o.sent().outputFormat() != null;
    List<byte[]> images = new ArrayList<>(drawn.size());
    for (byte[] d : drawn) {
      images.add(asked ? Transcoder.toFormat(d, o.format(), o.compression(), "data[" + images.size() + "]") : d);
    }
    ImageInfo first = ImageProbe.inspect(images.get(0), "data[0]");
    String format = asked ? o.format().wire() : first.format().name().toLowerCase(Locale.ROOT);
    AnswerFacts facts = new AnswerFacts(first.width() + "x" + first.height(), "auto", o.background().wire(), format);
    Optional<Usage> usage = Optional.of(new Usage(0, 0, 0)); // BFL counts no tokens; the ledger bills per image
    return new ImageBatch() {
      @Override
      public int count() { return images.size(); }

      @Override
      public byte[] image(int index) { return images.get(index); }

      @Override
      public AnswerFacts facts() { return facts; }

      @Override
      public Optional<Usage> reportedUsage() { return usage; }
    };
  }

  private static ApiException ownField(String name, JsonNode value) {
    return switch (name) {
      case "seed" -> value.canConvertToLong() && value.isIntegralNumber() ? null
          : ApiException.invalidValue("seed", "'seed' must be a whole number.");
      case "safety_tolerance" -> value.isIntegralNumber() && value.asInt() >= 0 && value.asInt() <= 6 ? null
          : ApiException.invalidValue("safety_tolerance", "'safety_tolerance' must be a whole number from 0 to 6.");
      case "prompt_upsampling" -> value.isBoolean() ? null
          : ApiException.invalidValue("prompt_upsampling", "'prompt_upsampling' must be true or false.");
      default -> ApiException.unknownParameter(name);
    };
  }

  /** The FLUX rules that apply: the deployment's model's when the catalogue knows it, else the route's; or null. */
  private ModelSpec rules(ImageJob job) {
    ModelSpec own = deployment.model() == null ? null : ModelCatalog.find(deployment.model()).orElse(null);
    if (own != null && own.family() == ModelFamily.FLUX) return own;
    ModelSpec route = job.options().model();
    return route.family() == ModelFamily.FLUX ? route : null;
  }

  private static String fluxModels() {
    return String.join(", ", ModelCatalog.ids().stream()
        .filter(id -> ModelCatalog.find(id).orElseThrow().family() == ModelFamily.FLUX).toList());
  }

  private int count(String key) {
    String value = deployment.option(key);
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1) return n;
    } catch (NumberFormatException | NullPointerException notANumber) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("deployment " + deployment.name() + ": " + key + " must be a whole number"
        + " of at least 1, got '" + value + "'");
  }
}
