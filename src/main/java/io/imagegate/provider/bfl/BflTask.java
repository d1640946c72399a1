package io.imagegate.provider.bfl;

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
 * One BFL task, start to file, within the request's one deadline: submit, poll its {@code polling_url}
 * every {@code poll_interval_ms} until Ready (a poll failing in passing, up to three in a row, is polled
 * again), then download {@code result.sample} at once through the guarded
 * fetcher (SSRF guard, size cap, its own time-out and redirect limit), cut short when the deadline comes first.
 *
 * <p>Implementation notes: a task cannot be cancelled at BFL, so running out of time simply stops polling
 * (a {@link UpstreamException.Kind#TIMEOUT}: nothing is charged for it). A download that fails (too large,
 * timed out, not an image) is an upstream error that is not retried at this deployment, since a retry would
 * be a new paid task; a fallback deployment may still draw it.
 */
final class BflTask {
  private static final int MAX_ANSWER_BYTES = 1024 * 1024; // submit and poll answers are small JSON
  /** Polls in a row that may fail in passing before the task is given up. */
  private static final int MAX_FAILED_POLLS = 3;

  private final DeploymentConfig deployment;
  private final BflEndpoints endpoints;
  private final ImageSourceResolver downloads;
  private final UpstreamPost post;
  private final Http1Client http;
  private final Duration pollInterval;

  BflTask(DeploymentConfig deployment, BflEndpoints endpoints, ImageSourceResolver downloads, Duration pollInterval) {
    this.deployment = deployment;
    this.endpoints = endpoints;
    this.downloads = downloads;
    this.post = new UpstreamPost(deployment, MAX_ANSWER_BYTES);
    this.http = new Http1Client(deployment.connectTimeout());
    this.pollInterval = pollInterval;
  }

  /** The file of one image drawn by {@code model} from {@code body}, by {@code deadline}. */
  byte[] draw(String model, byte[] body, long deadline) {
    long end = post.end(deadline);
    BflAnswers.Submitted task = BflAnswers.submitted(post.post(endpoints.submit(model), endpoints::authorize, body,
        end, end == deadline, (status, headers, error) -> BflAnswers.error(status, headers, error, endpoints.secrets())));
    URI polling = endpoints.polling(task.pollingUrl());
    String status = "submitted";
    for (int failedPolls = 0; ; ) {
      try {
        BflAnswers.Polled polled = BflAnswers.polled(poll(polling, deadline), endpoints.secrets());
        if (polled.ready()) return download(polled.sample(), deadline);
        status = polled.status();
        failedPolls = 0;
      } catch (UpstreamException e) {
        // a poll that failed in passing (a reset, a 429, a 5xx) is polled again: a retry of the whole
        // attempt would submit a new paid task while this one is still drawing
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
      // out of time only once the deadline has passed, so that the engine tries no new (paid) task after it
      if (deadline - System.nanoTime() <= 0) {
        throw UpstreamException.timeout("the upstream's task " + task.id() + " was still " + status
            + " when the request's total deadline ran out");
      }
    }
  }

  private byte[] poll(URI polling, long deadline) {
    long end = post.end(deadline);
    HttpRequest.Builder request = HttpRequest.newBuilder(polling).header("Accept", "application/json")
        .timeout(deployment.answerTimeout()).GET();
    endpoints.authorize(request);
    TraceHeaders.inject(request::header);
    try {
      Http1Client.Response response = http.send(request.build(), end);
      try (InputStream in = response.body()) {
        byte[] answer = in.readNBytes(MAX_ANSWER_BYTES + 1);
        if (response.statusCode() >= 300) {
          throw BflAnswers.error(response.statusCode(), response.headers(), answer, endpoints.secrets());
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
  private byte[] download(String sample, long deadline) {
    try (ExecutorService thread = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<byte[]> fetch = thread.submit(() -> downloads.resolve(sample, "result.sample").bytes());
      try {
        return fetch.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        fetch.cancel(true); // interrupting a virtual thread closes its socket
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
