package io.imagegate.provider.dashscope;

import io.imagegate.api.ApiException;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.http.Http1Client;
import io.imagegate.image.ImageSourceResolver;
import io.imagegate.provider.UpstreamException;
import io.imagegate.provider.UpstreamPost;
import io.imagegate.trace.TraceHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One image drawn at DashScope, start to file, within the request's one deadline: a synchronous call, or an
 * async task (submit with {@code X-DashScope-Async: enable}, poll {@code tasks/{id}} every
 * {@code poll_interval_ms} until SUCCEEDED; a poll failing in passing, up to three in a row, is polled again);
 * then the result URL downloaded at once through the guarded fetcher (SSRF guard, size cap, its own time-out
 * and redirect limit), cut short when the deadline comes first.
 *
 * <p>Implementation notes: a DashScope task cannot be cancelled, so running out of time simply stops polling
 * (a {@link UpstreamException.Kind#TIMEOUT}). A download that fails is an upstream error not retried at this
 * deployment, since a retry would be a new paid image; a fallback deployment may still draw it.
 */
final class DashscopeCall {
  private static final int MAX_ANSWER_BYTES = 1024 * 1024; // answers are small JSON: the image is a URL
  private static final int MAX_FAILED_POLLS = 3;

  private final DeploymentConfig deployment;
  private final DashscopeEndpoints endpoints;
  private final ImageSourceResolver downloads;
  private final UpstreamPost post;
  private final Http1Client http;
  private final Duration pollInterval;

  DashscopeCall(DeploymentConfig deployment, DashscopeEndpoints endpoints, ImageSourceResolver downloads,
      Duration pollInterval) {
    this.deployment = deployment;
    this.endpoints = endpoints;
    this.downloads = downloads;
    this.post = new UpstreamPost(deployment, MAX_ANSWER_BYTES);
    this.http = new Http1Client(deployment.connectTimeout());
    this.pollInterval = pollInterval;
  }

  /** The file of one image drawn by the synchronous endpoint from {@code body}, by {@code deadline}. */
  byte[] sync(byte[] body, long deadline) {
    long end = post.end(deadline);
    byte[] answer = post.post(endpoints.generation(), endpoints::authorize, body, end, end == deadline,
        (status, headers, error) -> DashscopeAnswers.error(status, headers, error, endpoints.secrets()));
    return download(DashscopeAnswers.image(answer, endpoints.secrets()), deadline);
  }

  /** The file of one image drawn as an async task from {@code body}, by {@code deadline}. */
  byte[] task(byte[] body, long deadline) {
    long end = post.end(deadline);
    String id = DashscopeAnswers.taskId(post.post(endpoints.synthesis(),
        request -> {
          endpoints.authorize(request);
          request.header("X-DashScope-Async", "enable");
        }, body, end, end == deadline,
        (status, headers, error) -> DashscopeAnswers.error(status, headers, error, endpoints.secrets())));
    URI task = endpoints.task(id);
    String status = "PENDING";
    for (int failedPolls = 0; ; ) {
      try {
        DashscopeAnswers.Polled polled = DashscopeAnswers.polled(poll(task, deadline), endpoints.secrets());
        if (polled.ready()) return download(polled.url(), deadline);
        status = polled.status();
        failedPolls = 0;
      } catch (UpstreamException e) {
        // polled again rather than the attempt retried, which would submit a new paid task
        boolean passing = e.kind() == UpstreamException.Kind.RETRYABLE && e.shouldRetry() == null;
        if (!passing || ++failedPolls >= MAX_FAILED_POLLS) throw e;
      }
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) Thread.sleep(Duration.ofNanos(Math.min(pollInterval.toNanos(), left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw UpstreamException.cancelled();
      }
      if (deadline - System.nanoTime() <= 0) {
        throw UpstreamException.timeout("the upstream's task " + id + " was still " + status
            + " when the request's total deadline ran out");
      }
    }
  }

  private byte[] poll(URI task, long deadline) {
    long end = post.end(deadline);
    HttpRequest.Builder request = HttpRequest.newBuilder(task).header("Accept", "application/json")
        .timeout(deployment.answerTimeout()).GET();
    endpoints.authorize(request);
    TraceHeaders.inject(request::header);
    try {
      Http1Client.Response response = http.send(request.build(), end);
      try (InputStream in = response.body()) {
        byte[] answer = in.readNBytes(MAX_ANSWER_BYTES + 1);
        if (response.statusCode() >= 300) {
          throw DashscopeAnswers.error(response.statusCode(), response.headers(), answer, endpoints.secrets());
        }
        if (answer.length > MAX_ANSWER_BYTES) throw UpstreamException.retryable("the upstream's poll answer is too large");
        return answer;
      }
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) throw UpstreamException.cancelled();
      if (e instanceof SocketTimeoutException) {
        throw UpstreamException.timeout(end == deadline ? "the request's total deadline ran out while polling"
            : "the upstream did not answer a poll within " + deployment.answerTimeout().toSeconds() + " s");
      }
      throw UpstreamException.retryable("polling the upstream's task failed: " + e.getClass().getSimpleName());
    }
  }

  /** The guarded fetch of the result, on its own virtual thread so that the request's deadline can cut it. */
  private byte[] download(String url, long deadline) {
    try (ExecutorService thread = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<byte[]> fetch = thread.submit(() -> downloads.resolve(url, "output.image").bytes());
      try {
        return fetch.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        fetch.cancel(true);
        throw UpstreamException.timeout("the request's total deadline ran out while downloading the upstream's image");
      } catch (InterruptedException e) {
        fetch.cancel(true);
        Thread.currentThread().interrupt();
        throw UpstreamException.cancelled();
      } catch (ExecutionException e) {
        String why = e.getCause() instanceof ApiException a ? a.getMessage() : String.valueOf(e.getCause());
        throw new UpstreamException(UpstreamException.Kind.RETRYABLE, 0, "upstream_error", null, null,
            "the upstream's image could not be downloaded: " + why, null, false);
      }
    }
  }
}
