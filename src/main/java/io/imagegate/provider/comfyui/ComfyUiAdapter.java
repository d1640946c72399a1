package io.imagegate.provider.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.imagegate.api.ApiException;
import io.imagegate.api.Background;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageSize;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.image.ImageInfo;
import io.imagegate.image.ImageProbe;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageProvider;
import io.imagegate.provider.Transcoder;
import io.imagegate.provider.comfyui.ComfyUiNodeMap.Slot;
import io.imagegate.usage.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One ComfyUI deployment as one attempt: refuses before any call what its workflow cannot take (a size when
 * the node map has no width and height, or one off the multiple of 8 or over {@code max_side}; {@code n}
 * over {@code max_batch} or above 1 without a batch size; a quality without a steps input; a mask or image
 * the map has no place for; a transparent background, partial images), then fills in the prompt, size,
 * seed (the client's {@code seed}, else a random one, since ComfyUI serves an identical graph from its
 * cache), steps ({@code quality_steps} by quality; {@code auto} keeps the workflow's), batch size and the
 * uploaded inputs, and answers the output node's images as drawn (WebP and JPEG transcoded when asked).
 */
final class ComfyUiAdapter implements ImageProvider {
  static final Map<String, Integer> DEFAULT_STEPS = Map.of("low", 12, "medium", 20, "high", 30);
  private static final long MAX_SEED = 1L << 50;

  private final DeploymentConfig deployment;
  private final ComfyUiWorkflow workflow;
  private final ComfyUiRun run;
  private final int maxBatch;
  private final int maxSide;

  ComfyUiAdapter(DeploymentConfig deployment, ComfyUiWorkflow workflow) {
    this.deployment = deployment;
    this.workflow = workflow;
    this.maxBatch = count(ComfyUiProvider.MAX_BATCH);
    this.maxSide = count(ComfyUiProvider.MAX_SIDE);
    ComfyUiEndpoints endpoints = new ComfyUiEndpoints(deployment);
    this.run = new ComfyUiRun(endpoints, new ComfyUiHttp(deployment, endpoints), workflow,
        Duration.ofMillis(count(ComfyUiProvider.POLL_INTERVAL_MS)));
  }

  @Override
  public String name() { return "comfyui"; }

  @Override
  public ApiException refusal(ImageJob job) {
    ImageOptions o = job.options();
    String where = " by the ComfyUI deployment " + deployment.name();
    if (job.mask() != null && !workflow.takes(Slot.MASK)) {
      return ApiException.invalidValue("mask", "A 'mask' is not supported" + where + ": its workflow takes none.");
    }
    if (!job.inputs().isEmpty() && !workflow.takes(Slot.IMAGE)) {
      return ApiException.invalidValue("image", "Input images are not supported" + where
          + ": its workflow draws from text alone.");
    }
    if (job.inputs().size() > 1) {
      return ApiException.invalidValue("image", "One input image is supported" + where + ", got "
          + job.inputs().size() + ".");
    }
    if (o.background() == Background.TRANSPARENT) {
      return ApiException.invalidValue("background", "A transparent background is not supported" + where
          + "; use 'opaque' or 'auto'.");
    }
    if (o.partialImages() > 0) {
      return ApiException.invalidValue("partial_images", "Partial images are not supported" + where
          + " (progress is polled); remove 'partial_images'.");
    }
    if (o.inputFidelity() != null) {
      return ApiException.invalidValue("input_fidelity", "'input_fidelity' is not supported" + where + "; remove it.");
    }
    if (o.sent().moderation() != null && !o.sent().moderation().equals("auto")) {
      return ApiException.invalidValue("moderation", "'moderation' is not supported" + where + "; remove it.");
    }
    if (!Transcoder.canWrite(o.format())) {
      return ApiException.invalidValue("output_format", "webp output is not available on this server; use png or jpeg.");
    }
    String quality = o.sent().quality();
    if (quality != null && !quality.equals("auto")) {
      if (!workflow.takes(Slot.STEPS)) {
        return ApiException.invalidValue("quality", "'quality' " + quality + " is not supported" + where
            + ": its workflow has no steps input; use 'auto' or remove it.");
      }
      if (steps(quality) == null) {
        return ApiException.invalidValue("quality", "'quality' " + quality + " has no steps" + where
            + "; use low, medium, high or auto.");
      }
    }
    if (o.n() > maxBatch) {
      return ApiException.invalidValue("n", "At most " + maxBatch + " images per request" + where + ", got " + o.n() + ".");
    }
    if (o.n() > 1 && !workflow.takes(Slot.BATCH_SIZE)) {
      return ApiException.invalidValue("n", "One image per request" + where + ": its workflow has no batch size.");
    }
    ImageSize size = o.size();
    if (size != null) {
      if (!workflow.takes(Slot.WIDTH)) {
        return ApiException.invalidValue("size", "'size' " + size + " is not supported" + where
            + ": its workflow draws its own size; use 'auto'.");
      }
      if (size.width() % 8 != 0 || size.height() % 8 != 0) {
        return ApiException.invalidValue("size", "'size' " + size + " is not supported" + where
            + ": width and height must be multiples of 8.");
      }
      if (size.width() > maxSide || size.height() > maxSide) {
        return ApiException.invalidValue("size", "'size' " + size + " is not supported" + where
            + ": each side must be at most " + maxSide + ".");
      }
    }
    for (Map.Entry<String, JsonNode> e : o.sent().extra().entrySet()) {
      ApiException bad = ownField(e.getKey(), e.getValue(), where);
      if (bad != null) return bad;
    }
    return null;
  }

  @Override
  public ImageBatch start(ImageJob job, long deadlineNanos) {
    ApiException refused = refusal(job);
    if (refused != null) throw refused;
    ImageOptions o = job.options();
    List<byte[]> drawn = run.draw(values(o), job.inputs().isEmpty() ? null : job.inputs().get(0), job.mask(),
        deadlineNanos);
    boolean asked = o.sent().outputFormat() != null;
    List<byte[]> images = new ArrayList<>();
    for (byte[] d : drawn.subList(0, Math.min(drawn.size(), o.n()))) {
      images.add(asked ? Transcoder.toFormat(d, o.format(), o.compression(), "data[" + images.size() + "]") : d);
    }
    ImageInfo first = ImageProbe.inspect(images.get(0), "data[0]");
    String format = asked ? o.format().wire() : first.format().name().toLowerCase(Locale.ROOT);
    String quality = o.sent().quality() == null ? "auto" : o.sent().quality();
    AnswerFacts facts = new AnswerFacts(first.width() + "x" + first.height(), quality, o.background().wire(), format);
    return ImageBatch.of(images, facts, Optional.of(new Usage(0, 0, 0))); // no tokens: the ledger bills per image
  }

  /** What the request puts into the workflow's mapped inputs (the uploads are added by the run). */
  Map<Slot, JsonNode> values(ImageOptions o) {
    Map<Slot, JsonNode> v = new EnumMap<>(Slot.class);
    v.put(Slot.PROMPT, TextNode.valueOf(o.prompt()));
    JsonNode negative = o.sent().extra().get("negative_prompt");
    if (negative != null) v.put(Slot.NEGATIVE_PROMPT, negative);
    if (o.size() != null) {
      v.put(Slot.WIDTH, IntNode.valueOf(o.size().width()));
      v.put(Slot.HEIGHT, IntNode.valueOf(o.size().height()));
    }
    JsonNode seed = o.sent().extra().get("seed");
    v.put(Slot.SEED, seed != null ? LongNode.valueOf(seed.asLong())
        : LongNode.valueOf(ThreadLocalRandom.current().nextLong(MAX_SEED)));
    String quality = o.sent().quality();
    if (quality != null && !quality.equals("auto")) v.put(Slot.STEPS, IntNode.valueOf(steps(quality)));
    v.put(Slot.BATCH_SIZE, IntNode.valueOf(o.n()));
    return v;
  }

  private Integer steps(String quality) {
    String own = deployment.option(ComfyUiProvider.QUALITY_STEPS + "." + quality);
    if (own == null) return DEFAULT_STEPS.get(quality);
    try {
      return Integer.parseInt(own);
    } catch (NumberFormatException e) {
      return null; // checked at start: unreachable for a loaded deployment
    }
  }

  private ApiException ownField(String name, JsonNode value, String where) {
    return switch (name) {
      case "seed" -> value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0 ? null
          : ApiException.invalidValue("seed", "'seed' must be a whole number of at least 0.");
      case "negative_prompt" -> {
        if (!value.isTextual()) yield ApiException.invalidValue("negative_prompt", "'negative_prompt' must be a string.");
        yield workflow.takes(Slot.NEGATIVE_PROMPT) ? null : ApiException.invalidValue("negative_prompt",
            "'negative_prompt' is not supported" + where + ": its workflow has no negative prompt input.");
      }
      default -> ApiException.unknownParameter(name);
    };
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
