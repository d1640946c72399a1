package io.imagegate.provider.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.provider.comfyui.ComfyUiNodeMap.Slot;
import io.imagegate.provider.comfyui.ComfyUiNodeMap.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * An operator's workflow in ComfyUI's API format (the UI's "Save (API)" export: a JSON object of node ids to
 * {@code {class_type, inputs}}), checked against its {@link ComfyUiNodeMap}: every mapped node exists, every
 * mapped input is one of its inputs and holds a value (not a link to another node's output). Each call fills
 * its values into a fresh copy ({@link #fill}); the loaded graph is never changed.
 */
final class ComfyUiWorkflow {
  static final String KEY = "workflow";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A workflow or node map that does not hold together; {@code key} is the setting to point at. */
  static final class Invalid extends RuntimeException {
    private final String key;

    Invalid(String key, String message) {
      super(message, null, false, false);
      this.key = key;
    }

    String key() { return key; }
  }

  private final ObjectNode graph;
  private final ComfyUiNodeMap nodes;

  private ComfyUiWorkflow(ObjectNode graph, ComfyUiNodeMap nodes) {
    this.graph = graph;
    this.nodes = nodes;
  }

  /** The workflow the deployment's {@code workflow} and {@code nodes.*} settings name, checked. */
  static ComfyUiWorkflow load(Map<String, String> settings) {
    ComfyUiNodeMap nodes = ComfyUiNodeMap.read(settings);
    String file = settings.get(KEY);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(Path.of(file)));
    } catch (IOException e) {
      throw new Invalid(KEY, "cannot read the workflow " + file + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " (" + e.getMessage().lines().findFirst().orElse("") + ")"));
    }
    return of(root, nodes, file);
  }

  /** The workflow {@code root} read from {@code file} (named in errors), checked against {@code nodes}. */
  static ComfyUiWorkflow of(JsonNode root, ComfyUiNodeMap nodes, String file) {
    String notApi = "the workflow " + file + " is not in API format (a JSON object of node ids to {class_type,"
        + " inputs}): export it with Save (API)";
    if (root == null || !root.isObject() || root.isEmpty()) throw new Invalid(KEY, notApi);
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> node = it.next();
      JsonNode n = node.getValue();
      if (!n.isObject() || !n.path("class_type").isTextual() || !n.path("inputs").isObject()) {
        throw new Invalid(KEY, notApi + "; node \"" + node.getKey() + "\" has no class_type and inputs");
      }
    }
    for (Map.Entry<Slot, Target> e : nodes.targets().entrySet()) {
      Target t = e.getValue();
      JsonNode node = root.get(t.node());
      if (node == null) {
        throw new Invalid(e.getKey().path(), "the workflow " + file + " has no node \"" + t.node() + "\"");
      }
      if (t.input() == null) continue;
      JsonNode input = node.get("inputs").get(t.input());
      String named = "node \"" + t.node() + "\" (" + node.get("class_type").asText() + ") of the workflow " + file;
      if (input == null) throw new Invalid(e.getKey().path(), named + " has no input '" + t.input() + "'");
      if (input.isArray()) {
        throw new Invalid(e.getKey().path(), "input '" + t.input() + "' of " + named + " is a link to another"
            + " node's output, not a value that can be filled in");
      }
    }
    return new ComfyUiWorkflow((ObjectNode) root, nodes);
  }

  ComfyUiNodeMap nodes() { return nodes; }

  /** Whether the node map says where {@code slot} goes. */
  boolean takes(Slot slot) { return nodes.has(slot); }

  /** The id of the node whose images are the result. */
  String outputNode() { return nodes.target(Slot.OUTPUT).node(); }

  /** The workflow's own value of a mapped input (e.g. its steps), or null when the slot is not mapped. */
  JsonNode value(Slot slot) {
    Target t = nodes.target(slot);
    return t == null ? null : graph.get(t.node()).get("inputs").get(t.input());
  }

  /** A copy of the graph with {@code values} in their mapped inputs; slots the map lacks are skipped. */
  ObjectNode fill(Map<Slot, JsonNode> values) {
    ObjectNode copy = graph.deepCopy();
    for (Map.Entry<Slot, JsonNode> e : values.entrySet()) {
      Target t = nodes.target(e.getKey());
      if (t == null || t.input() == null) continue;
      ((ObjectNode) copy.get(t.node()).get("inputs")).set(t.input(), e.getValue());
    }
    return copy;
  }
}
