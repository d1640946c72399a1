package io.imagegate.provider.gemini;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.http.Http1Client;
import io.imagegate.provider.UpstreamException;
import io.imagegate.trace.TraceHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * One {@code :generateContent} call drawing one image, on the calling thread, within one deadline that the
 * HTTP client enforces on every wait. Its failures are {@link UpstreamException}s saying what happened.
 */
final class GeminiCall {
  /** The largest answer read: a 4K PNG is some 30 MB once base64. */
  private static final int MAX_ANSWER_BYTES = 96 * 1024 * 1024;

  private final DeploymentConfig deployment;
  private final GeminiEndpoints endpoints;
  private final Http1Client http;

  GeminiCall(DeploymentConfig deployment, GeminiEndpoints endpoints) {
    this.deployment = deployment;
    this.endpoints = endpoints;
    this.http = new Http1Client(deployment.connectTimeout());
  }

  /**
   * @param end the {@link System#nanoTime()} to give up by
   * @param requestFirst whether {@code end} is the request's deadline rather than this deployment's own
   */
  GeminiAnswers.Drawn draw(String model, byte[] body, long end, boolean requestFirst) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoints.generateContent(model))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .timeout(deployment.answerTimeout()).POST(Http1Client.arrays(List.of(body)));
    endpoints.authorize(request);
    TraceHeaders.inject(request::header); // the attempt's traceparent, when traced
    Http1Client.Response response = send(request.build(), end, requestFirst);
    try (InputStream in = response.body()) {
      byte[] answer = in.readNBytes(MAX_ANSWER_BYTES + 1);
      if (response.statusCode() >= 300) {
        throw GeminiAnswers.error(response.statusCode(), response.headers(), answer, endpoints.secrets());
      }
      if (answer.length > MAX_ANSWER_BYTES) {
        throw UpstreamException.retryable("the upstream's answer is larger than " + MAX_ANSWER_BYTES + " bytes");
      }
      return GeminiAnswers.parse(answer, endpoints.secrets());
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) throw UpstreamException.cancelled();
      if (e instanceof SocketTimeoutException) throw UpstreamException.timeout(timeoutMessage(requestFirst));
      throw UpstreamException.retryable("the upstream's answer broke off: " + describe(e));
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

  private String timeoutMessage(boolean requestFirst) {
    return requestFirst ? "the request's total deadline ran out"
        : "the upstream did not answer within " + deployment.answerTimeout().toSeconds() + " s";
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
  }
}
