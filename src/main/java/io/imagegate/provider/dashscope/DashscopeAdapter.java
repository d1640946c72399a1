package io.imagegate.provider.dashscope;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.api.ApiException;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageSize;
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
import io.imagegate.provider.OpaqueVendorRefusals;
import io.imagegate.provider.Transcoder;
import io.imagegate.usage.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One DashScope deployment as one attempt: refuses before any call what Qwen-Image cannot honour, then draws
 * the request's {@code n} images as single-image calls in parallel ({@link FanOut}), keeps those that came and
 * bills only them. Qwen draws PNG: answered as it came unless the client named an {@code output_format},
 * which is then transcoded. The edit models ({@code qwen-image-edit…}) take 1–3 input images, the others
 * none. DashScope's own {@code negative_prompt} (≤ 500 characters), {@code prompt_extend}, {@code watermark}
 * (booleans; the mark off by default) and {@code seed} (0–2147483647) are the fields a client may add.
 */
final class DashscopeAdapter implements ImageProvider {
  /** The models that have DashScope's async task API. */
  private static final Set<String> ASYNC_MODELS = Set.of("qwen-image", "qwen-image-plus");
  static final int MAX_INPUT_IMAGES = 3;

  private final DeploymentConfig deployment;
  private final DashscopeCall calls;
  private final int parallel;
  private final boolean async;

  DashscopeAdapter(DeploymentConfig deployment, DashscopeEndpoints endpoints, ImageSourceResolver downloads) {
    this.deployment = deployment;
    this.parallel = count(DashscopeProvider.MAX_PARALLEL);
    this.calls = new DashscopeCall(deployment, endpoints, downloads,
        Duration.ofMillis(count(DashscopeProvider.POLL_INTERVAL_MS)));
    String api = String.valueOf(deployment.option(DashscopeProvider.API)).strip().toLowerCase(Locale.ROOT);
    if (!api.equals("sync") && !api.equals("async")) {
      throw new IllegalArgumentException("deployment " + deployment.name() + ": api must be sync or async, got '"
          + deployment.option(DashscopeProvider.API) + "'");
    }
    this.async = api.equals("async");
  }

  @Override
  public String name() { return "dashscope"; }

  @Override
  public ApiException refusal(ImageJob job) {
    ImageOptions o = job.options();
    String where = " by the DashScope deployment " + deployment.name();
    ModelSpec rules = rules(job);
    if (rules == null) {
      return ApiException.invalidValue("model", "The DashScope deployment " + deployment.name() + " serves"
          + " Qwen-Image; give it a model: of " + qwenModels() + ", or route it with rules: one of them.");
    }
    String model = upstreamModel(job);
    if (async && !ASYNC_MODELS.contains(model)) {
      return ApiException.invalidValue("model", "The DashScope deployment " + deployment.name() + " draws by async"
          + " tasks, which only qwen-image and qwen-image-plus have; " + model + " needs a deployment with api: sync.");
    }
    ApiException common = OpaqueVendorRefusals.of(job, where, "Qwen-Image", "the size decides the detail");
    if (common != null) return common;
    if (o.inputFidelity() != null) {
      return ApiException.invalidValue("input_fidelity", "'input_fidelity' is not supported" + where + "; remove it.");
    }
    if (!Transcoder.canWrite(o.format())) {
      return ApiException.invalidValue("output_format", "webp output is not available on this server; use png or jpeg.");
    }
    boolean edits = rules.id().contains("-edit");
    if (!edits && !job.inputs().isEmpty()) {
      return ApiException.invalidValue("image", rules.id() + " draws from text alone" + where
          + "; send input images to an edit model (qwen-image-edit, qwen-image-edit-plus).");
    }
    if (edits && job.inputs().isEmpty()) {
      return ApiException.invalidValue("image", rules.id() + " edits 1 to " + MAX_INPUT_IMAGES + " input images"
          + where + "; send at least one.");
    }
    if (job.inputs().size() > MAX_INPUT_IMAGES) {
      return ApiException.invalidValue("image", rules.id() + " takes at most " + MAX_INPUT_IMAGES + " input images"
          + where + "; " + job.inputs().size() + " were sent.");
    }
    if (async && !job.inputs().isEmpty()) {
      return ApiException.invalidValue("image", "DashScope's async tasks take no input images" + where + ".");
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
      ImageSize s = o.size();
      if (edits && Math.min(s.width(), s.height()) < 512) {
        return ApiException.invalidValue("size", "Invalid size '" + s + "': each edge must be 512 to 2048 pixels.");
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
    byte[] body = async ? DashscopeRequests.async(job, model) : DashscopeRequests.sync(job, model);
    List<byte[]> drawn = FanOut.run(o.n(), parallel,
        () -> async ? calls.task(body, deadlineNanos) : calls.sync(body, deadlineNanos));
    boolean asked = o.sent().outputFormat() != null;
    List<byte[]> images = new ArrayList<>(drawn.size());
    for (byte[] d : drawn) {
      images.add(asked ? Transcoder.toFormat(d, o.format(), o.compression(), "data[" + images.size() + "]") : d);
    }
    ImageInfo first = ImageProbe.inspect(images.get(0), "data[0]");
    String format = asked ? o.format().wire() : first.format().name().toLowerCase(Locale.ROOT);
    AnswerFacts facts = new AnswerFacts(first.width() + "x" + first.height(), "auto", o.background().wire(), format);
    return ImageBatch.of(images, facts, Optional.of(new Usage(0, 0, 0))); // no tokens: billed per image
  }

  private static ApiException ownField(String name, JsonNode value) {
    return switch (name) {
      case "negative_prompt" -> value.isTextual() && value.asText().length() <= 500 ? null
          : ApiException.invalidValue("negative_prompt", "'negative_prompt' must be text of at most 500 characters.");
      case "prompt_extend", "watermark" -> value.isBoolean() ? null
          : ApiException.invalidValue(name, "'" + name + "' must be true or false.");
      case "seed" -> value.isIntegralNumber() && value.asLong() >= 0 && value.asLong() <= Integer.MAX_VALUE ? null
          : ApiException.invalidValue("seed", "'seed' must be a whole number from 0 to 2147483647.");
      default -> ApiException.unknownParameter(name);
    };
  }

  /** The Qwen rules that apply: the deployment's model's when the catalogue knows it, else the route's; or null. */
  private ModelSpec rules(ImageJob job) {
    ModelSpec own = deployment.model() == null ? null : ModelCatalog.find(deployment.model()).orElse(null);
    if (own != null && own.family() == ModelFamily.QWEN_IMAGE) return own;
    ModelSpec route = job.options().model();
    return route.family() == ModelFamily.QWEN_IMAGE ? route : null;
  }

  private String upstreamModel(ImageJob job) {
    return deployment.model() != null ? deployment.model() : job.options().model().id();
  }

  private static String qwenModels() {
    return String.join(", ", ModelCatalog.ids().stream()
        .filter(id -> ModelCatalog.find(id).orElseThrow().family() == ModelFamily.QWEN_IMAGE).toList());
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
