package io.imagegate.provider.automatic1111;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.http.Http1Client;
import io.imagegate.provider.UpstreamException;
import io.imagegate.provider.UpstreamPost;
import io.imagegate.trace.TraceHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One blocking {@code txt2img} / {@code img2img} call running on its own virtual thread, so that the
 * request's thread can poll {@code /progress} beside it, and give it up: a client that hangs up (the waiting
 * thread interrupted), a deadline that passes or a stream that is closed early cancels the call and
 * {@code POST /interrupt}s the box, which otherwise draws on for minutes holding its one GPU.
 *
 * <p>Implementation notes: the interrupt is sent from a fresh virtual thread (the caller's may be
 * interrupted, which would close its socket at once), with a few seconds' time-out, its answer ignored.
 * A1111 draws one job at a time, so interrupting it stops this call's drawing.
 */
final class Automatic1111Call {
  private static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024; // n base64 PNGs of up to 2048²
  private static final int MAX_PROGRESS_BYTES = 64 * 1024 * 1024;
  private static final Duration INTERRUPT_TIMEOUT = Duration.ofSeconds(5);

  private final DeploymentConfig deployment;
  private final Automatic1111Endpoints endpoints;
  private final UpstreamPost post;
  private final Http1Client http;
  private final FutureTask<List<byte[]>> drawing;
  private volatile boolean interrupted;

  Automatic1111Call(DeploymentConfig deployment, Automatic1111Endpoints endpoints, URI uri, byte[] body, int n,
      long deadline) {
    this.deployment = deployment;
    this.endpoints = endpoints;
    this.post = new UpstreamPost(deployment, MAX_ANSWER_BYTES);
    this.http = new Http1Client(deployment.connectTimeout());
    long end = post.end(deadline);
    this.drawing = new FutureTask<>(() -> Automatic1111Answers.images(post.post(uri, endpoints::authorize, body, end,
        end == deadline, (status, headers, error) -> Automatic1111Answers.error(status, headers, error,
            endpoints.secrets())), n));
    Thread.ofVirtual().name("imagegate-a1111-" + deployment.name()).start(drawing);
  }

  boolean done() { return drawing.isDone(); }

  /**
   * The drawn images, waiting until {@code deadline}; an interrupted wait or a passed deadline cancels
   * the call and interrupts the box.
   */
  List<byte[]> await(long deadline) {
    try {
      return drawing.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      cancel();
      Thread.currentThread().interrupt();
      throw UpstreamException.cancelled();
    } catch (TimeoutException e) {
      cancel();
      throw UpstreamException.timeout("the request's total deadline ran out while the upstream was drawing");
    } catch (CancellationException e) {
      throw UpstreamException.cancelled();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpstreamException u) {
        if (u.kind() == UpstreamException.Kind.TIMEOUT) interruptBox(); // it may be drawing still
        throw u;
      }
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Waits up to {@code wait} for the drawing to end; false when it is still drawing. */
  boolean waitFor(Duration wait) throws InterruptedException {
    try {
      drawing.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException stillDrawing) {
      return false;
    } catch (ExecutionException | CancellationException ended) {
      // ended: await() says how
    }
    return true;
  }

  /** Stops the call and interrupts the box, once; a no-op once the drawing has ended. */
  void cancel() {
    if (drawing.isDone()) return;
    drawing.cancel(true); // interrupting a virtual thread closes its socket
    interruptBox();
  }

  /** The live preview from {@code GET /progress}, or null when there is none (or the poll failed). */
  byte[] preview(long deadline) {
    long end = Math.min(deadline, System.nanoTime() + deployment.answerTimeout().toNanos());
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoints.progress()).header("Accept", "application/json")
        .timeout(deployment.answerTimeout()).GET();
    endpoints.authorize(request);
    TraceHeaders.inject(request::header);
    try {
      Http1Client.Response response = http.send(request.build(), end);
      try (InputStream in = response.body()) {
        byte[] answer = in.readNBytes(MAX_PROGRESS_BYTES + 1);
        if (response.statusCode() >= 300 || answer.length > MAX_PROGRESS_BYTES) return null;
        return Automatic1111Answers.preview(answer);
      }
    } catch (IOException | UpstreamException e) {
      return null; // a preview missed is no failure: the drawing goes on
    }
  }

  private void interruptBox() {
    synchronized (this) {
      if (interrupted) return;
      interrupted = true;
    }
    Thread.ofVirtual().name("imagegate-a1111-interrupt").start(() -> {
      UpstreamPost once = new UpstreamPost(deployment, 64 * 1024);
      try {
        once.post(endpoints.interrupt(), endpoints::authorize, "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            System.nanoTime() + INTERRUPT_TIMEOUT.toNanos(), true,
            (status, headers, error) -> UpstreamException.retryable("interrupt answered " + status));
      } catch (UpstreamException ignored) {
        // the box is gone or busy: nothing more to do
      }
    });
  }
}
