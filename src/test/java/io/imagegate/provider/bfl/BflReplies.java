package io.imagegate.provider.bfl;

import io.imagegate.testing.FakeUpstream;
import io.imagegate.testing.UpstreamReplies;
import okhttp3.mockwebserver.MockResponse;

/** Canned answers of the BFL API, in its own wire shape: the submit, each poll, and its error bodies. */
final class BflReplies {
  private BflReplies() {}

  /** The path a task's polling URL has on the fake. */
  static String pollPath(String id) { return "/v1/get_result?id=" + id; }

  /** A task accepted: its id, where to poll it (on {@code bfl} itself), its cost in credits and megapixels. */
  static MockResponse submitted(FakeUpstream bfl, String id) {
    return UpstreamReplies.json(200, """
        {"id":"%s","polling_url":"%s","cost":4.0,"input_mp":0.0,"output_mp":0.79}"""
        .formatted(id, bfl.url(pollPath(id))));
  }

  static MockResponse pending(String id) {
    return UpstreamReplies.json(200, """
        {"id":"%s","status":"Pending","result":null,"progress":0.4,"details":null,"preview":null}""".formatted(id));
  }

  /** Ready: the signed URL of the drawn file. */
  static MockResponse ready(String id, String sample) {
    return UpstreamReplies.json(200, """
        {"id":"%s","status":"Ready","result":{"sample":"%s","prompt":"a prompt","seed":1234,
         "start_time":1757323224.1,"end_time":1757323229.8,"duration":5.7},"progress":null,"details":null}"""
        .formatted(id, sample));
  }

  /** A task that ended without an image: {@code Content Moderated}, {@code Error}… */
  static MockResponse ended(String id, String status) {
    return UpstreamReplies.json(200, """
        {"id":"%s","status":"%s","result":null,"progress":null,
         "details":{"Moderation Reasons":["Derivative Works Filter"]}}""".formatted(id, status));
  }

  /** BFL's error body: {@code {"detail": …}}. */
  static MockResponse error(int status, String detail) {
    return UpstreamReplies.json(status, "{\"detail\":\"" + detail + "\"}");
  }
}
