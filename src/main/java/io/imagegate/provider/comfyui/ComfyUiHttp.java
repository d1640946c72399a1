package io.imagegate.provider.comfyui;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.http.Http1Client;
import io.imagegate.provider.UpstreamException;
import io.imagegate.trace.TraceHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;

/**
 * One exchange with the ComfyUI server, read whole on the calling thread within the earlier of the request's
 * deadline and the deployment's answer timeout: the body of a 2xx, else what {@link ComfyUiAnswers#error}
 * makes of the status. A refused connection is retryable (the engine falls back to the next box), an
 * interrupted thread is the client hanging up.
 */
final class ComfyUiHttp {
  private final DeploymentConfig deployment;
  private final ComfyUiEndpoints endpoints;
  private final Http1Client http;

  ComfyUiHttp(DeploymentConfig deployment, ComfyUiEndpoints endpoints) {
    this.deployment = deployment;
    this.endpoints = endpoints;
    this.http = new Http1Client(deployment.connectTimeout());
  }

  byte[] get(URI uri, int maxBytes, long deadline) {
    return send(HttpRequest.newBuilder(uri).GET(), maxBytes, deadline, Set.of());
  }

  /** @param clientNodes the nodes filled with the client's text, whose validation errors are the client's */
  byte[] postJson(URI uri, byte[] body, int maxBytes, long deadline, Set<String> clientNodes) {
    return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(Http1Client.arrays(List.of(body))), maxBytes, deadline, clientNodes);
  }

  byte[] post(URI uri, String contentType, List<byte[]> body, int maxBytes, long deadline) {
    return send(HttpRequest.newBuilder(uri).header("Content-Type", contentType).POST(Http1Client.arrays(body)),
        maxBytes, deadline, Set.of());
  }

  private byte[] send(HttpRequest.Builder request, int maxBytes, long deadline, Set<String> clientNodes) {
    long own = System.nanoTime() + deployment.answerTimeout().toNanos();
    boolean requestFirst = deadline - own < 0;
    long end = requestFirst ? deadline : own;
    request.timeout(deployment.answerTimeout());
    endpoints.authorize(request);
    TraceHeaders.inject(request::header);
    try {
      Http1Client.Response response = http.send(request.build(), end);
      try (InputStream in = response.body()) {
        byte[] answer = in.readNBytes(maxBytes + 1);
        if (response.statusCode() >= 300) {
          throw ComfyUiAnswers.error(response.statusCode(), answer, endpoints.secrets(), clientNodes);
        }
        if (answer.length > maxBytes) {
          throw UpstreamException.retryable("the upstream's answer is larger than " + maxBytes + " bytes");
        }
        return answer;
      }
    } catch (HttpConnectTimeoutException e) {
      throw UpstreamException.timeout("could not connect to the upstream within "
          + deployment.connectTimeout().toSeconds() + " s");
    } catch (IOException e) {
      // an interrupted virtual thread has its blocked socket closed: that is the caller cancelling
      if (Thread.currentThread().isInterrupted()) throw UpstreamException.cancelled();
      if (e instanceof SocketTimeoutException) {
        throw UpstreamException.timeout(requestFirst ? "the request's total deadline ran out"
            : "the upstream did not answer within " + deployment.answerTimeout().toSeconds() + " s");
      }
      if (e instanceof ConnectException) throw UpstreamException.retryable("could not connect to the upstream");
      throw UpstreamException.retryable("the upstream connection failed: " + e.getClass().getSimpleName());
    }
  }
}
