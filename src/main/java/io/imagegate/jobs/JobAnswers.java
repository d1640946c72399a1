package io.imagegate.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The job object on the wire: {@code {id, object: "image.job", status, created_at, started_at, finished_at,
 * expires_at, model, endpoint, attempts}}, with {@code result} (the body the synchronous call would have
 * answered) once it succeeded and {@code error} (spec §8's error object) once it failed or expired. Times are
 * Unix seconds, null when not yet.
 */
final class JobAnswers {
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build());

  private JobAnswers() {}

  /** The job, with its answer when it succeeded ({@code result} null otherwise). */
  static byte[] job(Job job, byte[] result, Duration retention) throws IOException {
    ObjectNode o = node(job, retention);
    if (result != null) o.set("result", JSON.readTree(result));
    return JSON.writeValueAsBytes(o);
  }

  /** A page of the key's jobs, newest first, without their answers. */
  static byte[] list(List<Job> jobs, boolean hasMore, Duration retention) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    for (Job j : jobs) data.add(node(j, retention));
    o.put("first_id", jobs.isEmpty() ? null : jobs.getFirst().id());
    o.put("last_id", jobs.isEmpty() ? null : jobs.getLast().id());
    o.put("has_more", hasMore);
    return JSON.writeValueAsBytes(o);
  }

  /** Spec §8's {@code {"error": {...}}} of {@code e}, as JSON text. */
  static String error(ApiException e) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", e.getMessage());
    error.put("type", e.type());
    error.put("param", e.param());
    error.put("code", e.code());
    return root.toString();
  }

  private static ObjectNode node(Job job, Duration retention) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", job.id());
    o.put("object", "image.job");
    o.put("status", job.status().wire());
    o.put("created_at", job.createdAt() / 1000);
    seconds(o, "started_at", job.startedAt());
    seconds(o, "finished_at", job.finishedAt());
    o.put("expires_at", ((job.status().finished() ? job.finishedAt() : job.createdAt()) + retention.toMillis()) / 1000);
    o.put("model", job.model());
    o.put("endpoint", "/v1/images/" + job.operation());
    o.put("attempts", job.attempts());
    if (job.status() == Job.Status.FAILED && job.error() != null) o.set("error", JSON.readTree(job.error()).get("error"));
    if (job.status() == Job.Status.EXPIRED) {
      o.set("error", JSON.readTree(error(new ApiException(408, "invalid_request_error", null, "job_expired",
          "The job waited in the queue for " + retention.toHours() + " h without being run, and expired."))).get("error"));
    }
    return o;
  }

  private static void seconds(ObjectNode o, String field, long millis) {
    if (millis == 0) o.putNull(field);
    else o.put(field, millis / 1000);
  }
}
