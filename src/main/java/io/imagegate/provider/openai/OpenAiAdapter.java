package io.imagegate.provider.openai;

import io.imagegate.api.ApiException;
import io.imagegate.api.ImageOptions;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.http.Http1Client;
import io.imagegate.image.ImageProbe;
import io.imagegate.image.ImageSourceResolver;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.EventStream;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageProvider;
import io.imagegate.provider.SseFrame;
import io.imagegate.provider.UpstreamException;
import io.imagegate.usage.Usage;
import java.io.IOException;
import java.io.InputStream;
import io.imagegate.http.BufferPool;
import io.imagegate.provider.ImageRelay;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One upstream deployment speaking OpenAI's images API (OpenAI, Azure OpenAI, any compatible server), as
 * one attempt: it maps the request, calls, and maps the answer or the failure. Retries, fallbacks and the
 * circuit breaker are the engine's business; this class only says, through {@link UpstreamException},
 * what kind of failure happened.
 *
 * <p>Implementation notes: the attempt runs on the calling thread. Its one deadline, the earlier of the
 * request's and this deployment's answer timeout, is enforced by the HTTP client on every wait (connect,
 * head, each body read). A small answer is read whole and checked before it is handed on; a large one is
 * handed on as an {@link ImageRelay} once its head, the JSON before its first image and the first buffer of
 * that image were checked, and its images then go to the client as they arrive, through a buffer of the
 * shared {@link BufferPool}.
 */
public final class OpenAiAdapter implements ImageProvider {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final DeploymentConfig deployment;
  private final Endpoints endpoints;
  private final Http1Client http;
  private final ImageSourceResolver downloads;
  private final BufferPool buffers;

  public OpenAiAdapter(DeploymentConfig deployment, Endpoints endpoints, ImageSourceResolver downloads,
      BufferPool buffers) {
    this.deployment = deployment;
    this.endpoints = endpoints;
    this.downloads = downloads;
    this.buffers = buffers;
    this.http = new Http1Client(deployment.connectTimeout());
  }

  @Override
  public String name() { return endpoints.kind(); }

  @Override
  public ImageBatch start(ImageJob job, long deadlineNanos) {
    long now = System.nanoTime();
    long own = now + deployment.answerTimeout().toNanos();
    boolean requestFirst = deadlineNanos - own < 0;
    long end = requestFirst ? deadlineNanos : own;
    boolean stream = job.options().stream() && deployment.supports().streaming();
    String model = deployment.model() != null ? deployment.model() : job.options().model().id();
    HttpRequest request = OpenAiRequests.build(job, model, endpoints, stream, deployment.answerTimeout());
    Http1Client.Response response = send(request, end, requestFirst);
    InputStream body = response.body();
    boolean handedOver = false;
    try {
      if (response.statusCode() >= 300) {
        throw OpenAiAnswers.error(response.statusCode(), response.headers(), readAll(body, requestFirst),
            endpoints.secrets());
      }
      String type = response.headers().firstValue("content-type").orElse("");
      if (stream && type.startsWith("text/event-stream")) {
        ImageBatch batch = streamed(job, body, requestFirst);
        handedOver = true;
        return batch;
      }
      byte[] buffer = takeBuffer(end, requestFirst);
      AnswerStream answer = AnswerStream.open(body, buffers, buffer, marker());
      try {
        if (answer.whole()) return answered(job, OpenAiAnswers.parse(answer.wholeBody(), endpoints.secrets()));
        if (!answer.nextImage()) {
          // large, yet no base64 value: all of it is JSON (image URLs, or an error)
          return answered(job, OpenAiAnswers.parse(answer.skeleton(), endpoints.secrets()));
        }
        answer.checkAhead();
        handedOver = true;
        return relayed(job, answer, body);
      } finally {
        if (!handedOver) answer.close();
      }
    } catch (IOException e) {
      throw broke(e, requestFirst);
    } finally {
      if (!handedOver) closeQuietly(body);
    }
  }

  private Http1Client.Response send(HttpRequest request, long end, boolean requestFirst) {
    try {
      return http.send(request, end);
    } catch (HttpConnectTimeoutException e) {
      throw UpstreamException.timeout("could not connect to the upstream within "
          + deployment.connectTimeout().toSeconds() + " s");
    } catch (IOException e) {
      // An interrupted virtual thread has its blocked socket closed: that is the caller cancelling.
      if (Thread.currentThread().isInterrupted()) throw UpstreamException.cancelled();
      if (e instanceof SocketTimeoutException) throw UpstreamException.timeout(timeoutMessage(requestFirst));
      if (e instanceof ConnectException) throw UpstreamException.retryable("could not connect to the upstream");
      throw UpstreamException.retryable("the upstream connection failed: " + describe(e));
    }
  }

  /** A relay buffer, waiting while every buffer is in use (their answers are being copied out). */
  private byte[] takeBuffer(long end, boolean requestFirst) {
    try {
      byte[] b = buffers.take(Math.max(0, (end - System.nanoTime()) / 1_000_000));
      if (b == null) throw UpstreamException.timeout(timeoutMessage(requestFirst));
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UpstreamException.cancelled();
    }
  }

  private UpstreamException broke(IOException e, boolean requestFirst) {
    if (Thread.currentThread().isInterrupted()) return UpstreamException.cancelled();
    if (e instanceof SocketTimeoutException) return UpstreamException.timeout(timeoutMessage(requestFirst));
    return UpstreamException.retryable("the upstream's answer broke off: " + describe(e));
  }

  private ImageBatch answered(ImageJob job, OpenAiAnswers.Parsed parsed) {
    List<OpenAiAnswers.Item> images = new ArrayList<>(parsed.items().size());
    for (int i = 0; i < parsed.items().size(); i++) {
      OpenAiAnswers.Item item = parsed.items().get(i);
      if (item.url() != null) {
        byte[] encoded = Base64.getEncoder().encode(download(item.url(), i));
        item = new OpenAiAnswers.Item(encoded, 0, encoded.length, null);
      }
      images.add(item);
    }
    OpenAiAnswers.Item first = images.get(0);
    AnswerFacts facts = facts(job.options(), parsed, () -> Base64.getDecoder().decode(first.base64()));
    Optional<Usage> usage = Optional.ofNullable(parsed.usage());
    return new ImageBatch() {
      @Override
      public int count() { return images.size(); }

      @Override
      public byte[] image(int index) { return Base64.getDecoder().decode(images.get(index).base64()); }

      @Override
      public void writeBase64(int index, java.io.OutputStream out) throws IOException {
        OpenAiAnswers.Item item = images.get(index);
        out.write(item.buffer(), item.offset(), item.length());
      }

      @Override
      public AnswerFacts facts() { return facts; }

      @Override
      public Optional<Usage> reportedUsage() { return usage; }
    };
  }

  /** An answer still arriving: its first image has begun and what came so far was checked. */
  private ImageBatch relayed(ImageJob job, AnswerStream answer, InputStream body) {
    ImageRelay relay = new ImageRelay() {
      private boolean started = true; // nextImage() found the first image already

      @Override
      public boolean next() throws IOException {
        if (started) {
          started = false;
          return true;
        }
        return answer.nextImage();
      }

      @Override
      public void copy(java.io.OutputStream out) throws IOException { answer.copy(out); }

      @Override
      public End finish() {
        OpenAiAnswers.Parsed parsed = OpenAiAnswers.parseRelayed(answer.skeleton(), answer.marker(),
            answer.values(), endpoints.secrets());
        answer.close();
        return new End(answer.values(), facts(job.options(), parsed, answer::probe), Optional.ofNullable(parsed.usage()));
      }

      @Override
      public void close() {
        answer.close();
        closeQuietly(body);
      }
    };
    return new Arriving(job) {
      @Override
      public Optional<ImageRelay> relay() { return Optional.of(relay); }
    };
  }

  /** Reads the first event before answering, so that a stream that fails at once can still be retried. */
  private ImageBatch streamed(ImageJob job, InputStream body, boolean requestFirst) {
    SseReader reader = new SseReader(body, () -> { });
    try {
      SseFrame first = reader.next();
      if (first == null) throw UpstreamException.retryable("the upstream's stream ended before any event");
      if (first.data().contains("\"error\"") && first.data().trim().startsWith("{")) {
        UpstreamException e = OpenAiAnswers.error(500, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true),
            first.data().getBytes(java.nio.charset.StandardCharsets.UTF_8), endpoints.secrets());
        throw new UpstreamException(UpstreamException.Kind.RETRYABLE, 0, e.type(), e.code(), e.param(),
            "the upstream's stream began with an error: " + e.getMessage(), null, null);
      }
      reader.pushBack(first);
    } catch (IOException e) {
      reader.close();
      throw broke(e, requestFirst);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    return new Arriving(job) {
      @Override
      public Optional<EventStream> events() { return Optional.of(reader); }
    };
  }

  /**
   * An answer still arriving (relayed or streamed): no image list; until its end it echoes what was asked,
   * and its usage comes with it.
   */
  private abstract static class Arriving implements ImageBatch {
    private final AnswerFacts requested;

    Arriving(ImageJob job) {
      ImageOptions o = job.options();
      requested = new AnswerFacts(o.size() == null ? "auto" : o.size().toString(), o.quality().wire(),
          o.background().wire(), o.format().wire());
    }

    @Override
    public int count() { return 0; }

    @Override
    public byte[] image(int index) { throw new IllegalStateException("an answer still arriving has no image list"); }

    @Override
    public AnswerFacts facts() { return requested; }

    @Override
    public Optional<Usage> reportedUsage() { return Optional.empty(); }
  }

  private byte[] download(String url, int index) {
    try {
      return downloads.resolve(url, "data[" + index + "].url").bytes();
    } catch (ApiException e) {
      throw UpstreamException.retryable("the upstream's image " + index + " could not be downloaded: " + e.getMessage());
    }
  }

  /** What the answer echoes: the upstream's word where it gave one, else the request's, else the image's. */
  private static AnswerFacts facts(ImageOptions o, OpenAiAnswers.Parsed parsed,
      java.util.function.Supplier<byte[]> firstImage) {
    String size = parsed.size();
    if (size == null || size.equals("auto")) {
      try {
        var info = ImageProbe.inspect(firstImage.get(), "data[0]");
        size = info.width() + "x" + info.height();
      } catch (ApiException | IllegalArgumentException unreadable) {
        size = o.size() == null ? "auto" : o.size().toString();
      }
    }
    return new AnswerFacts(size, parsed.quality() != null ? parsed.quality() : o.quality().wire(),
        parsed.background() != null ? parsed.background() : o.background().wire(),
        parsed.outputFormat() != null ? parsed.outputFormat() : o.format().wire());
  }

  private byte[] readAll(InputStream body, boolean requestFirst) {
    try {
      return body.readNBytes(1024 * 1024);
    } catch (SocketTimeoutException e) {
      throw UpstreamException.timeout(timeoutMessage(requestFirst));
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private String timeoutMessage(boolean requestFirst) {
    return requestFirst ? "the request's total deadline ran out"
        : "the upstream did not answer within " + deployment.answerTimeout().toSeconds() + " s";
  }

  private static String marker() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "#" + java.util.HexFormat.of().formatHex(b) + ":";
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing more to read from it anyway
    }
  }
}
