package io.imagegate.provider.comfyui;

import static io.imagegate.provider.Secrets.scrub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.provider.UpstreamException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answer and error mapping for ComfyUI's HTTP API. An upload answers {@code {name, subfolder, type}};
 * {@code /prompt} answers {@code {prompt_id, number, node_errors}}, or 400 {@code {error, node_errors}} when
 * the filled-in graph does not validate: the client's 400 on {@code prompt} when a node at fault is one the
 * request filled with its text, else the deployment's problem (a model not installed, a node not loaded),
 * not retried at this box but worth a fallback box. {@code /history/{id}} is {@code {}} until the prompt
 * ends, then {@code {id: {outputs, status: {status_str, completed, messages}}}}; {@code status_str}
 * {@code error} is the execution's failure ({@code execution_error}, {@code execution_interrupted}).
 * 401/403 are a reverse proxy's credentials, 408/429/5xx worth another try.
 */
final class ComfyUiAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DETAIL_CHARS = 300;

  private ComfyUiAnswers() {}

  /** An uploaded file: the value a {@code LoadImage} input takes is {@link #reference()}. */
  record Uploaded(String name, String subfolder, String type) {
    String reference() { return subfolder.isEmpty() ? name : subfolder + "/" + name; }
  }

  /** One result image of the output node, to fetch from {@code /view}. */
  record Output(String filename, String subfolder, String type) {}

  static Uploaded uploaded(byte[] body) {
    JsonNode root = read(body);
    String name = root.path("name").asText("");
    if (name.isBlank()) throw invalid("its upload answer has no 'name'");
    return new Uploaded(name, root.path("subfolder").asText(""), root.path("type").asText("input"));
  }

  static String queued(byte[] body) {
    String id = read(body).path("prompt_id").asText("");
    if (id.isBlank()) throw invalid("its /prompt answer has no 'prompt_id'");
    return id;
  }

  /**
   * The output node's images once the prompt ended well; null while it has not ended.
   *
   * @throws UpstreamException when it ended in an error, or without an image from {@code outputNode}
   */
  static List<Output> history(byte[] body, String promptId, String outputNode, List<String> secrets) {
    JsonNode entry = read(body).get(promptId);
    if (entry == null || !entry.isObject()) return null;
    JsonNode status = entry.path("status");
    String word = status.path("status_str").asText("");
    if (word.equals("error")) throw failed(status.path("messages"), secrets);
    if (!word.equals("success") && !status.path("completed").asBoolean(false)) return null;
    List<Output> images = new ArrayList<>();
    for (JsonNode image : entry.path("outputs").path(outputNode).path("images")) {
      String filename = image.path("filename").asText("");
      if (filename.isBlank()) throw invalid("an image of node \"" + outputNode + "\" has no 'filename'");
      images.add(new Output(filename, image.path("subfolder").asText(""), image.path("type").asText("output")));
    }
    if (images.isEmpty()) {
      throw new UpstreamException(UpstreamException.Kind.RETRYABLE, 0, "upstream_error", null, null,
          "the upstream's prompt ended with no image from node \"" + outputNode + "\" (the node map's output)",
          null, false);
    }
    return images;
  }

  /** The exception for an error status; {@code clientNodes} are the nodes the request filled with its text. */
  static UpstreamException error(int status, byte[] body, List<String> secrets, Set<String> clientNodes) {
    JsonNode root = null;
    try {
      root = JSON.readTree(body);
    } catch (IOException notJson) {
      // the status speaks for itself
    }
    if (status == 400 && root != null && root.isObject()) {
      String reason = scrub(promptErrors(root), secrets);
      boolean clients = false;
      for (Iterator<String> it = root.path("node_errors").fieldNames(); it.hasNext(); ) {
        clients |= clientNodes.contains(it.next());
      }
      if (clients) {
        return new UpstreamException(UpstreamException.Kind.REFUSED, 400, "invalid_request_error", "invalid_value",
            "prompt", "The upstream rejected the prompt: " + reason, null, null);
      }
      return new UpstreamException(UpstreamException.Kind.RETRYABLE, 400, "upstream_error", null, null,
          "the upstream rejected the deployment's workflow: " + reason, null, false);
    }
    UpstreamException.Kind kind = switch (status) {
      case 401, 403 -> UpstreamException.Kind.CREDENTIALS;
      default -> UpstreamException.Kind.RETRYABLE;
    };
    boolean worthAnotherTry = status == 408 || status == 429 || status >= 500;
    return new UpstreamException(kind, status, "upstream_error", null, null,
        "the upstream answered HTTP " + status, null, kind == UpstreamException.Kind.RETRYABLE && !worthAnotherTry
            ? Boolean.FALSE : null);
  }

  /** {@code error.message} and each node's errors, in words. */
  private static String promptErrors(JsonNode root) {
    StringBuilder out = new StringBuilder(root.path("error").path("message").asText("the graph did not validate"));
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("node_errors").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> node = it.next();
      out.append("; node \"").append(node.getKey()).append("\"");
      String type = node.getValue().path("class_type").asText("");
      if (!type.isEmpty()) out.append(" (").append(type).append(")");
      for (JsonNode e : node.getValue().path("errors")) {
        out.append(": ").append(e.path("message").asText(""));
        String details = e.path("details").asText("");
        if (!details.isEmpty()) out.append(" (").append(details).append(")");
      }
    }
    return cut(out.toString());
  }

  private static UpstreamException failed(JsonNode messages, List<String> secrets) {
    String why = "the upstream's prompt ended in an error";
    for (JsonNode m : messages) {
      String event = m.path(0).asText("");
      JsonNode data = m.path(1);
      if (event.equals("execution_interrupted")) {
        why = "the upstream's prompt was interrupted at node \"" + data.path("node_id").asText("?") + "\"";
      } else if (event.equals("execution_error")) {
        why = "the upstream's prompt failed at node \"" + data.path("node_id").asText("?") + "\" ("
            + data.path("node_type").asText("?") + "): " + data.path("exception_type").asText("")
            + " " + data.path("exception_message").asText("").strip();
      }
    }
    return new UpstreamException(UpstreamException.Kind.RETRYABLE, 0, "upstream_error", null, null,
        cut(scrub(why.strip(), secrets)), null, false);
  }

  private static JsonNode read(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw invalid("its body is not JSON");
    }
    if (root == null || !root.isObject()) throw invalid("its body is not a JSON object");
    return root;
  }

  private static String cut(String s) { return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS) + "…"; }


  private static UpstreamException invalid(String why) {
    return UpstreamException.retryable("the upstream's answer is not a valid ComfyUI answer: " + why);
  }
}
