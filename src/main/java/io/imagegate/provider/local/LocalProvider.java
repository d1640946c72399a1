package io.imagegate.provider.local;

import io.imagegate.api.ApiException;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageSize;
import io.imagegate.api.OutputFormat;
import io.imagegate.config.Capabilities;
import io.imagegate.config.ProviderRules;
import io.imagegate.image.ImageDecoder;
import io.imagegate.image.InputImage;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageProvider;
import io.imagegate.provider.ProviderRegistry;
import io.imagegate.usage.Usage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded provider: draws with the {@link LocalEngine} in this process, no key and no network needed.
 * Images are drawn one at a time as the answer is written. Its pictures are its own, never presented as a
 * hosted model's.
 */
public final class LocalProvider implements ImageProvider {
  public static final String NAME = "imagegate-local";
  private final LocalEngine engine = new LocalEngine();

  /** The {@code local} provider: no base URL, no key, everything the API has; one engine per gateway. */
  public static final ProviderRules RULES = new ProviderRules("local", ProviderRules.Url.none(),
      ProviderRules.Key.none(), List.of(), Capabilities.all());

  public static final ProviderRegistry.Type TYPE = new ProviderRegistry.Type(RULES, () -> {
    LocalProvider shared = new LocalProvider();
    return (deployment, services) -> shared;
  });

  @Override
  public String name() { return NAME; }

  @Override
  public ImageBatch start(ImageJob job, long deadlineNanos) {
    ImageOptions o = job.options();
    if (o.format() == OutputFormat.WEBP && !LocalEngine.webpAvailable()) {
      throw ApiException.invalidValue("output_format", "webp output is not available on this server; use png or jpeg.");
    }
    ImageSize size = o.size() != null ? o.size() : autoSize(job.inputs());
    List<BufferedImage> inputs = new ArrayList<>(job.inputs().size());
    for (int i = 0; i < job.inputs().size(); i++) {
      inputs.add(ImageDecoder.decode(job.inputs().get(i), i == 0 ? "image" : "image[" + i + "]"));
    }
    BufferedImage mask = job.mask() == null ? null : ImageDecoder.decode(job.mask(), "mask");
    LocalRenderRequest request = new LocalRenderRequest(o.prompt(), size.width(), size.height(), o.quality(),
        o.background(), o.format(), o.compression(), List.copyOf(inputs), mask);
    AnswerFacts facts = new AnswerFacts(size.toString(), o.quality().wire(), o.background().wire(), o.format().wire());
    // The first thing sent is drawn now, before the answer is committed, so that a failure still gets an error
    // status: the first image, or for a stream with partials its first (coarse) partial, so that the partial
    // leaves long before the final image is done. The rest is drawn one by one as the answer is written.
    int partials = o.stream() ? o.partialImages() : 0;
    byte[][] first = {partials > 0 ? null : engine.render(request, 0)};
    byte[][] firstPartial = {partials > 0 ? engine.renderPartial(request, 0, 0, partials) : null};
    return new ImageBatch() {
      @Override
      public int count() { return o.n(); }

      @Override
      public byte[] image(int index) {
        if (index == 0 && first[0] != null) {
          byte[] image = first[0];
          first[0] = null; // written once; let it go
          return image;
        }
        return engine.render(request, index);
      }

      @Override
      public byte[] partial(int index, int step, int steps) {
        if (index == 0 && step == 0 && firstPartial[0] != null) {
          byte[] partial = firstPartial[0];
          firstPartial[0] = null;
          return partial;
        }
        return engine.renderPartial(request, index, step, steps);
      }

      @Override
      public AnswerFacts facts() { return facts; }

      @Override
      public Optional<Usage> reportedUsage() { return Optional.empty(); }
    };
  }

  /** {@code auto}: the standard shape closest to the first input image's, or a square. */
  static ImageSize autoSize(List<InputImage> inputs) {
    if (inputs.isEmpty()) return new ImageSize(1024, 1024);
    double ratio = (double) inputs.get(0).info().width() / inputs.get(0).info().height();
    if (ratio > 1.25) return new ImageSize(1536, 1024);
    if (ratio < 0.8) return new ImageSize(1024, 1536);
    return new ImageSize(1024, 1024);
  }
}
