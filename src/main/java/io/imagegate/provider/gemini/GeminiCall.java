package io.imagegate.provider.gemini;

import io.imagegate.config.DeploymentConfig;
import io.imagegate.provider.UpstreamPost;

/** One {@code :generateContent} call drawing one image: its answer's image and usage, or the failure. */
final class GeminiCall {
  /** The largest answer read: a 4K PNG is some 30 MB once base64. */
  private static final int MAX_ANSWER_BYTES = 96 * 1024 * 1024;

  private final GeminiEndpoints endpoints;
  private final UpstreamPost post;

  GeminiCall(DeploymentConfig deployment, GeminiEndpoints endpoints) {
    this.endpoints = endpoints;
    this.post = new UpstreamPost(deployment, MAX_ANSWER_BYTES);
  }

  /** The deadline of one attempt started now. */
  long end(long requestDeadline) { return post.end(requestDeadline); }

  /** @param requestFirst whether {@code end} is the request's deadline rather than this deployment's own */
  GeminiAnswers.Drawn draw(String model, byte[] body, long end, boolean requestFirst) {
    byte[] answer = post.post(endpoints.generateContent(model), endpoints::authorize, body, end, requestFirst,
        (status, headers, error) -> GeminiAnswers.error(status, headers, error, endpoints.secrets()));
    return GeminiAnswers.parse(answer, endpoints.secrets());
  }
}
