package io.imagegate.batch;

import io.imagegate.testing.Http;
import io.imagegate.testing.Multipart;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.UpstreamReplies;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * An OpenAI images upstream scripted by prompt: a prompt with {@code upstream-fails} gets a 500, any other an
 * image, after {@link #delayMillis}. Records the prompts it was asked for.
 */
final class ScriptedImages extends Dispatcher {
  final List<String> prompts = new CopyOnWriteArrayList<>();
  /** The multipart bodies of the edits it was asked for. */
  final List<Multipart> edits = new CopyOnWriteArrayList<>();
  volatile long delayMillis;
  private final String image = UpstreamReplies.imageBody(TestImages.png(8, 8), true);

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    byte[] body = request.getBody().readByteArray();
    String type = request.getHeader("Content-Type");
    String prompt;
    if (type != null && type.startsWith("multipart/")) {
      Multipart parts = Multipart.parse(type, body);
      edits.add(parts);
      prompt = parts.text("prompt");
    } else {
      prompt = Http.json(new String(body, StandardCharsets.UTF_8)).get("prompt").asText();
    }
    prompts.add(prompt);
    MockResponse answer = prompt.contains("upstream-fails")
        ? UpstreamReplies.error(500, "server_error", "internal_error", "The upstream failed.")
        : UpstreamReplies.json(200, image);
    return delayMillis == 0 ? answer : answer.setHeadersDelay(delayMillis, TimeUnit.MILLISECONDS);
  }
}
