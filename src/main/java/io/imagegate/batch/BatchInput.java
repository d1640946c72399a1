package io.imagegate.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A batch's input file, read line by line (never whole): {@link #validate} checks every line as OpenAI's batch
 * validation does, and {@link #forEach} hands the lines on to be submitted. A line is
 * {@code {"custom_id": "...", "method": "POST", "url": "<the batch's endpoint>", "body": {...}}}; blank lines are
 * skipped. Line numbers count from 1, blank lines included.
 */
final class BatchInput {
  /** OpenAI's most requests in one batch. */
  static final int MAX_LINES = 50_000;
  /** Validation errors reported at most; the batch fails on the first anyway. */
  private static final int MAX_ERRORS = 100;

  /** One line, checked. */
  record Line(int number, String customId, JsonNode body) {}

  /** Receives lines from {@link #forEach}. */
  @FunctionalInterface
  interface LineVisitor {
    void visit(Line line) throws IOException;
  }

  private BatchInput() {}

  /**
   * Checks every line; returns the errors' {@code data} array in OpenAI's shape ({@code code}, {@code message},
   * {@code param}, {@code line}) and the number of lines in {@code total}, or null errors when all are good.
   */
  static ArrayNode validate(InputStream in, String endpoint, int[] total) throws IOException {
    ArrayNode errors = BatchAnswers.JSON.createArrayNode();
    Set<String> seen = new HashSet<>();
    int[] count = {0};
    read(in, (number, text) -> {
      count[0]++;
      if (count[0] == MAX_LINES + 1) {
        error(errors, "too_many_tasks", "The batch has more than " + MAX_LINES + " requests.", null, number);
      }
      if (errors.size() >= MAX_ERRORS) return;
      JsonNode o;
      try {
        o = BatchAnswers.JSON.readTree(text);
      } catch (IOException e) {
        o = null;
      }
      if (o == null || !o.isObject()) {
        error(errors, "invalid_json_line", "This line is not parseable as valid JSON.", null, number);
        return;
      }
      JsonNode custom = o.get("custom_id");
      if (custom == null || !custom.isTextual() || custom.asText().isEmpty()) {
        error(errors, "missing_required_parameter", "Each line needs a 'custom_id' string.", "custom_id", number);
      } else if (!seen.add(custom.asText())) {
        error(errors, "duplicate_custom_id", "The custom_id '" + custom.asText() + "' is used by an earlier line;"
            + " each line's custom_id must be unique.", "custom_id", number);
      }
      JsonNode method = o.get("method");
      if (method == null || !"POST".equals(method.asText())) {
        error(errors, "invalid_method", "Each line's 'method' must be POST.", "method", number);
      }
      JsonNode url = o.get("url");
      if (url == null || !endpoint.equals(url.asText())) {
        error(errors, "url_mismatch", "This line's 'url' is not the batch's endpoint (" + endpoint + ").", "url",
            number);
      }
      JsonNode body = o.get("body");
      if (body == null || !body.isObject()) {
        error(errors, "missing_required_parameter", "Each line needs a 'body' object: the request.", "body", number);
      }
    });
    if (count[0] == 0) error(errors, "empty_file", "The input file has no requests.", null, null);
    total[0] = count[0];
    return errors.isEmpty() ? null : errors;
  }

  /** Hands every line on, in order; call only on a file {@link #validate} passed. */
  static void forEach(InputStream in, LineVisitor visitor) throws IOException {
    read(in, (number, text) -> {
      JsonNode o = BatchAnswers.JSON.readTree(text);
      visitor.visit(new Line(number, o.get("custom_id").asText(), o.get("body")));
    });
  }

  private interface TextVisitor {
    void visit(int number, String text) throws IOException;
  }

  private static void read(InputStream in, TextVisitor visitor) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int number = 0;
    for (String text = reader.readLine(); text != null; text = reader.readLine()) {
      number++;
      if (!text.isBlank()) visitor.visit(number, text);
    }
  }

  private static void error(ArrayNode errors, String code, String message, String param, Integer line) {
    ObjectNode e = errors.addObject();
    e.put("code", code);
    e.put("message", message);
    e.put("param", param);
    if (line == null) e.putNull("line");
    else e.put("line", line);
  }
}
