package io.imagegate.provider.upstream;

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
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One upstream deployment speaking OpenAI's images API (OpenAI, Azure OpenAI, any compatible server), as
 * one attempt: it maps the request, calls, and maps the answer or the failure. Retries, fallbacks and the
 * circuit breaker are the engine's business; this class only says, through {@link UpstreamException},
 * what kind of failure happened.
 *
 * <p>Implementation notes: the whole attempt, headers and body, is bounded by the deployment's answer
 * timeout: a watchdog closes the body stream when it runs out, which turns a slow body into a timeout.
 */
public final class UpstreamProvider implements ImageProvider {
  private final DeploymentConfig deployment;
  private final Endpoints endpoints;
  private final Http1Client http;
  private final ImageSourceResolver downloads;

  public UpstreamProvider(DeploymentConfig deployment, Endpoints endpoints, ImageSourceResolver downloads) {
    this.deployment = deployment;
    this.endpoints = endpoints;
    this.downloads = downloads;
    this.http = new Http1Client(deployment.connectTimeout());
  }

  @Override
  public String name() { return endpoints.kind(); }

  @Override
  public ImageBatch start(ImageJob job) {
    // The attempt runs on its own virtual thread so that its whole answer, body included, is bounded by the
    // answer timeout however the upstream dawdles: on time-out the thread is interrupted and the body closed.
    Watchdog watchdog = Watchdog.start(deployment.answerTimeout());
    CompletableFuture<ImageBatch> attempt = new CompletableFuture<>();
    Thread worker = Thread.ofVirtual().name("imagegate-upstream-" + deployment.name()).start(() -> {
      try {
        attempt.complete(attempt(job, watchdog));
      } catch (Throwable t) {
        attempt.completeExceptionally(t);
      }
    });
    try {
      return attempt.get(deployment.answerTimeout().toMillis() + 50, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      worker.interrupt();
      watchdog.fire();
      throw UpstreamException.timeout(timeoutMessage());
    } catch (InterruptedException e) {
      worker.interrupt();
      watchdog.fire();
      Thread.currentThread().interrupt();
      throw UpstreamException.cancelled();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw UpstreamException.retryable("the upstream call failed: " + describe(e.getCause()));
    }
  }

  /** Answers up to this size are read into an array of their Content-Length at once. */
  private static final long MAX_PREALLOCATED = 1L << 30;

  private ImageBatch attempt(ImageJob job, Watchdog watchdog) {
    boolean stream = job.options().stream() && deployment.supports().streaming();
    String model = deployment.model() != null ? deployment.model() : job.options().model().id();
    HttpRequest request = UpstreamRequests.build(job, model, endpoints, stream, deployment.answerTimeout());
    Http1Client.Response response = send(request, watchdog);
    InputStream body = watchdog.guard(response.body());
    boolean handedOver = false;
    try {
      if (response.statusCode() >= 300) {
        throw UpstreamAnswers.error(response.statusCode(), response.headers(), readAll(body, watchdog),
            endpoints.secrets());
      }
      String type = response.headers().firstValue("content-type").orElse("");
      if (stream && type.startsWith("text/event-stream")) {
        ImageBatch batch = streamed(job, body, watchdog);
        handedOver = true;
        return batch;
      }
      byte[] bytes;
      try {
        bytes = readBody(body, response.headers().firstValueAsLong("content-length").orElse(-1));
      } catch (IOException e) {
        throw watchdog.fired() ? UpstreamException.timeout(timeoutMessage())
            : UpstreamException.retryable("the upstream's answer broke off: " + describe(e));
      }
      return answered(job, UpstreamAnswers.parse(bytes, endpoints.secrets()));
    } finally {
      if (!handedOver) {
        watchdog.cancel();
        closeQuietly(body);
      }
    }
  }

  private Http1Client.Response send(HttpRequest request, Watchdog watchdog) {
    try {
      return http.send(request);
    } catch (HttpConnectTimeoutException e) {
      watchdog.cancel();
      throw UpstreamException.timeout("could not connect to the upstream within "
          + deployment.connectTimeout().toSeconds() + " s");
    } catch (IOException e) {
      watchdog.cancel();
      // An interrupted virtual thread has its blocked socket closed: that is the caller cancelling or timing out.
      if (Thread.currentThread().isInterrupted()) throw UpstreamException.cancelled();
      if (watchdog.fired()) throw UpstreamException.timeout(timeoutMessage());
      if (e instanceof ConnectException) throw UpstreamException.retryable("could not connect to the upstream");
      throw UpstreamException.retryable("the upstream connection failed: " + describe(e));
    }
  }

  private ImageBatch answered(ImageJob job, UpstreamAnswers.Parsed parsed) {
    List<UpstreamAnswers.Item> images = new ArrayList<>(parsed.items().size());
    for (int i = 0; i < parsed.items().size(); i++) {
      UpstreamAnswers.Item item = parsed.items().get(i);
      if (item.url() != null) {
        byte[] encoded = Base64.getEncoder().encode(download(item.url(), i));
        item = new UpstreamAnswers.Item(encoded, 0, encoded.length, null);
      }
      images.add(item);
    }
    AnswerFacts facts = facts(job.options(), parsed, images.get(0));
    Optional<Usage> usage = Optional.ofNullable(parsed.usage());
    return new ImageBatch() {
      @Override
      public int count() { return images.size(); }

      @Override
      public byte[] image(int index) { return Base64.getDecoder().decode(images.get(index).base64()); }

      @Override
      public void writeBase64(int index, java.io.OutputStream out) throws IOException {
        UpstreamAnswers.Item item = images.get(index);
        out.write(item.buffer(), item.offset(), item.length());
      }

      @Override
      public AnswerFacts facts() { return facts; }

      @Override
      public Optional<Usage> reportedUsage() { return usage; }
    };
  }

  /** Reads the first event before answering, so that a stream that fails at once can still be retried. */
  private ImageBatch streamed(ImageJob job, InputStream body, Watchdog watchdog) {
    SseReader reader = new SseReader(body, watchdog::cancel);
    try {
      SseFrame first = reader.next();
      if (first == null) throw UpstreamException.retryable("the upstream's stream ended before any event");
      if (first.data().contains("\"error\"") && first.data().trim().startsWith("{")) {
        UpstreamException e = UpstreamAnswers.error(500, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true),
            first.data().getBytes(java.nio.charset.StandardCharsets.UTF_8), endpoints.secrets());
        throw new UpstreamException(UpstreamException.Kind.RETRYABLE, 0, e.type(), e.code(), e.param(),
            "the upstream's stream began with an error: " + e.getMessage(), null, null);
      }
      reader.pushBack(first);
    } catch (IOException e) {
      reader.close();
      throw watchdog.fired() ? UpstreamException.timeout(timeoutMessage())
          : UpstreamException.retryable("the upstream's stream broke: " + describe(e));
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    ImageOptions o = job.options();
    AnswerFacts facts = new AnswerFacts(o.size() == null ? "auto" : o.size().toString(), o.quality().wire(),
        o.background().wire(), o.format().wire());
    return new ImageBatch() {
      @Override
      public int count() { return 0; }

      @Override
      public byte[] image(int index) { throw new IllegalStateException("a relayed stream has no image list"); }

      @Override
      public AnswerFacts facts() { return facts; }

      @Override
      public Optional<Usage> reportedUsage() { return Optional.empty(); }

      @Override
      public Optional<EventStream> events() { return Optional.of(reader); }
    };
  }

  private byte[] download(String url, int index) {
    try {
      return downloads.resolve(url, "data[" + index + "].url").bytes();
    } catch (ApiException e) {
      throw UpstreamException.retryable("the upstream's image " + index + " could not be downloaded: " + e.getMessage());
    }
  }

  /** What the answer echoes: the upstream's word where it gave one, else the request's, else the image's. */
  private static AnswerFacts facts(ImageOptions o, UpstreamAnswers.Parsed parsed, UpstreamAnswers.Item first) {
    String size = parsed.size();
    if (size == null || size.equals("auto")) {
      try {
        var info = ImageProbe.inspect(Base64.getDecoder().decode(first.base64()), "data[0]");
        size = info.width() + "x" + info.height();
      } catch (ApiException | IllegalArgumentException unreadable) {
        size = o.size() == null ? "auto" : o.size().toString();
      }
    }
    return new AnswerFacts(size, parsed.quality() != null ? parsed.quality() : o.quality().wire(),
        parsed.background() != null ? parsed.background() : o.background().wire(),
        parsed.outputFormat() != null ? parsed.outputFormat() : o.format().wire());
  }

  /**
   * The whole answer. With a Content-Length, straight into one array of that size (one copy from the client's
   * buffers, no growing); without one, or past the largest array, as the stream gives it.
   *
   * @throws IOException also when the body ends before its Content-Length (a cut answer, retried)
   */
  static byte[] readBody(InputStream body, long contentLength) throws IOException {
    if (contentLength < 0 || contentLength > MAX_PREALLOCATED) return body.readAllBytes();
    byte[] bytes = new byte[(int) contentLength];
    int read = body.readNBytes(bytes, 0, bytes.length);
    if (read < bytes.length) {
      throw new java.io.EOFException("the body ended after " + read + " of its " + contentLength + " bytes");
    }
    return bytes;
  }

  private byte[] readAll(InputStream body, Watchdog watchdog) {
    try {
      return body.readNBytes(1024 * 1024);
    } catch (IOException e) {
      if (watchdog.fired()) throw UpstreamException.timeout(timeoutMessage());
      return new byte[0];
    }
  }

  private String timeoutMessage() {
    return "the upstream did not answer within " + deployment.answerTimeout().toSeconds() + " s";
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
