package io.imagegate.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.jobs.ImageJobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A batch's output and error files in OpenAI's line format: {@code {"id": "batch_req_...", "custom_id",
 * "response": {"status_code", "request_id", "body"}, "error"}}. A line answered 200 goes to the output file;
 * a line refused or failed goes to the error file with its status and spec §8 error as the body (and a null
 * {@code error}, as OpenAI reports requests that got an HTTP answer); a line that never ran (cancelled, expired)
 * goes to the error file with a null {@code response} and an {@code error} {@code {code, message}}. Each file is
 * written to a temp file first, so neither is held whole in memory.
 */
final class BatchOutput implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build());

  final Path output;
  final Path errors;
  int completed;
  int failed;
  int skipped;
  private final OutputStream out;
  private final OutputStream err;

  BatchOutput() throws IOException {
    output = Files.createTempFile("imagegate-batch-", ".output.jsonl");
    errors = Files.createTempFile("imagegate-batch-", ".errors.jsonl");
    out = new java.io.BufferedOutputStream(Files.newOutputStream(output));
    err = new java.io.BufferedOutputStream(Files.newOutputStream(errors));
  }

  /** Writes one line's outcome; {@code result} opens the answer of a line that succeeded. */
  void add(ImageJobs.Line line, ImageJobs jobs, boolean expired) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", "batch_req_" + line.jobId().substring(line.jobId().indexOf('_') + 1));
    o.put("custom_id", line.customId());
    switch (line.status()) {
      case "succeeded" -> {
        JsonNode body;
        try (InputStream in = jobs.openResult(line.jobId())) {
          if (in == null) throw new IOException("the answer of job " + line.jobId() + " is gone");
          body = JSON.readTree(in);
        }
        response(o, 200, line.jobId(), body);
        o.putNull("error");
        write(out, o);
        completed++;
      }
      case "failed" -> {
        response(o, line.errorStatus(), line.jobId(), JSON.readTree(line.error()));
        o.putNull("error");
        write(err, o);
        failed++;
      }
      default -> { // cancelled or expired: it never ran
        o.putNull("response");
        ObjectNode e = o.putObject("error");
        e.put("code", expired ? "batch_expired" : "batch_cancelled");
        e.put("message", expired ? "This request was not run before the batch's 24 h window closed."
            : "This request was not run: its batch was cancelled.");
        write(err, o);
        skipped++;
      }
    }
  }

  /** Ends both files; their sizes are then those of {@link #output} and {@link #errors}. */
  void finish() throws IOException {
    out.close();
    err.close();
  }

  boolean hasOutput() { return completed > 0; }

  boolean hasErrors() { return failed + skipped > 0; }

  private static void response(ObjectNode o, int status, String requestId, JsonNode body) {
    ObjectNode r = o.putObject("response");
    r.put("status_code", status);
    r.put("request_id", requestId);
    r.set("body", body);
  }

  private static void write(OutputStream to, ObjectNode line) throws IOException {
    to.write(JSON.writeValueAsBytes(line));
    to.write('\n');
  }

  @Override
  public void close() throws IOException {
    out.close();
    err.close();
    Files.deleteIfExists(output);
    Files.deleteIfExists(errors);
  }
}
