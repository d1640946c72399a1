package io.imagegate.provider;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.http.Http1Client;
import io.imagegate.trace.TraceHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.function.Consumer;

/**
 * One JSON POST to a vendor's API, read whole, on the calling thread, within one deadline that the HTTP
 * client enforces on every wait: the body of a 2xx, or the {@link UpstreamException} its vendor's error
 * mapping makes of an error status; connection failures and time-outs as the engine's retries expect them.
 */
public final class UpstreamPost {
  /** How a vendor's error answer reads: retryable, refused or the credentials. */
  @FunctionalInterface
  public interface Errors {
    UpstreamException map(int status, HttpHeaders headers, byte[] body);
  }

  private final DeploymentConfig deployment;
  private final Http1Client http;
  private final int maxAnswerBytes;

  /** @param maxAnswerBytes the largest answer read: larger is a retryable failure */
  public UpstreamPost(DeploymentConfig deployment, int maxAnswerBytes) {
    this.deployment = deployment;
    this.http = new Http1Client(deployment.connectTimeout());
    this.maxAnswerBytes = maxAnswerBytes;
  }

  /**
   * @param headers adds the vendor's credentials (and anything else of its own)
   * @param end the {@link System#nanoTime()} to give up by
   * @param requestFirst whether {@code end} is the request's deadline rather than this deployment's own
   */
  public byte[] post(URI uri, Consumer<HttpRequest.Builder> headers, byte[] body, long end, boolean requestFirst,
      Errors errors) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .timeout(deployment.answerTimeout()).POST(Http1Client.arrays(List.of(body)));
    headers.accept(request);
    TraceHeaders.inject(request::header); // the attempt's traceparent, when traced
    Http1Client.Response response = send(request.build(), end, requestFirst);
    try (InputStream in = response.body()) {
      byte[] answer = in.readNBytes(maxAnswerBytes + 1);
      if (response.statusCode() >= 300) throw errors.map(response.statusCode(), response.headers(), answer);
      if (answer.length > maxAnswerBytes) {
        throw UpstreamException.retryable("the upstream's answer is larger than " + maxAnswerBytes + " bytes");
      }
      return answer;
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) throw UpstreamException.cancelled();
      if (e instanceof SocketTimeoutException) throw UpstreamException.timeout(timeoutMessage(requestFirst));
      throw UpstreamException.retryable("the upstream's answer broke off: " + describe(e));
    }
  }

  /** The deadline of one attempt: the request's, or this deployment's answer timeout when that comes first. */
  public long end(long requestDeadline) {
    long own = System.nanoTime() + deployment.answerTimeout().toNanos();
    return requestDeadline - own < 0 ? requestDeadline : own;
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

  private String timeoutMessage(boolean requestFirst) {
    return requestFirst ? "the request's total deadline ran out"
        : "the upstream did not answer within " + deployment.answerTimeout().toSeconds() + " s";
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
  }
}
