package io.imagegate.provider.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.imagegate.image.InputImage;
import io.imagegate.provider.MultipartBody;
import io.imagegate.provider.UpstreamException;
import io.imagegate.provider.comfyui.ComfyUiNodeMap.Slot;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One call's run on a ComfyUI server within the request's one deadline: upload the input image
 * ({@code /upload/image}) and the mask ({@code /upload/mask}, onto the uploaded image), queue the filled-in
 * graph ({@code /prompt}), poll {@code /history/{id}} every {@code poll_interval_ms} until it ends (a poll
 * failing in passing, up to three in a row, is polled again), then fetch each image of the output node from
 * {@code /view}.
 *
 * <p>Implementation notes: once queued, a prompt runs on the GPU whether anyone waits for it or not, so a
 * client hanging up (the thread interrupted) or the deadline running out cancels it: {@code GET /queue}
 * says where it is, then a still pending prompt is deleted ({@code POST /queue {"delete":[id]}}) and a
 * running one interrupted ({@code POST /interrupt {"prompt_id"}}), each within a short time of its own and
 * with the interrupt flag cleared meanwhile. A prompt in neither list has ended, and an interrupt then would
 * hit someone else's.
 */
final class ComfyUiRun {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;
  private static final int MAX_HISTORY_BYTES = 32 * 1024 * 1024; // a history entry carries the whole graph
  private static final int MAX_IMAGE_BYTES = 128 * 1024 * 1024;
  private static final int MAX_FAILED_POLLS = 3;
  private static final Duration CANCEL_TIME = Duration.ofSeconds(3);

  private final ComfyUiEndpoints endpoints;
  private final ComfyUiHttp http;
  private final ComfyUiWorkflow workflow;
  private final Duration pollInterval;

  ComfyUiRun(ComfyUiEndpoints endpoints, ComfyUiHttp http, ComfyUiWorkflow workflow, Duration pollInterval) {
    this.endpoints = endpoints;
    this.http = http;
    this.workflow = workflow;
    this.pollInterval = pollInterval;
  }

  /** The files of the output node drawn from {@code values}, with {@code image} and {@code mask} uploaded. */
  List<byte[]> draw(Map<Slot, JsonNode> values, InputImage image, InputImage mask, long deadline) {
    Map<Slot, JsonNode> filled = new EnumMap<>(Slot.class);
    filled.putAll(values);
    if (image != null && workflow.takes(Slot.IMAGE)) {
      String ext = image.info().format().name().toLowerCase(Locale.ROOT);
      ComfyUiAnswers.Uploaded up = upload(endpoints.uploadImage(), new MultipartBody()
          .file("image", "imagegate-" + UUID.randomUUID() + "." + ext, "image/" + ext, image.bytes()), deadline);
      filled.put(Slot.IMAGE, TextNode.valueOf(up.reference()));
      if (mask != null && workflow.takes(Slot.MASK)) {
        ObjectNode original = JSON.createObjectNode().put("filename", up.name()).put("subfolder", up.subfolder())
            .put("type", up.type());
        ComfyUiAnswers.Uploaded masked = upload(endpoints.uploadMask(), new MultipartBody()
            .file("image", "imagegate-" + UUID.randomUUID() + "-mask.png", "image/png",
                ComfyUiMasks.alphaPng(mask.bytes()))
            .text("original_ref", original.toString()), deadline);
        filled.put(Slot.MASK, TextNode.valueOf(masked.reference()));
      }
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("prompt", workflow.fill(filled));
    body.put("client_id", UUID.randomUUID().toString());
    String id = ComfyUiAnswers.queued(http.postJson(endpoints.prompt(), bytes(body), MAX_ANSWER_BYTES, deadline,
        clientNodes()));
    try {
      List<ComfyUiAnswers.Output> outputs = poll(id, deadline);
      List<byte[]> files = new ArrayList<>(outputs.size());
      for (ComfyUiAnswers.Output o : outputs) {
        files.add(http.get(endpoints.view(o.filename(), o.subfolder(), o.type()), MAX_IMAGE_BYTES, deadline));
      }
      return files;
    } catch (UpstreamException e) {
      if (e.kind() == UpstreamException.Kind.CANCELLED || e.kind() == UpstreamException.Kind.TIMEOUT) cancel(id);
      throw e;
    }
  }

  private ComfyUiAnswers.Uploaded upload(URI uri, MultipartBody form, long deadline) {
    form.text("type", "input").text("overwrite", "true");
    return ComfyUiAnswers.uploaded(http.post(uri, form.contentType(), form.parts(), MAX_ANSWER_BYTES, deadline));
  }

  private List<ComfyUiAnswers.Output> poll(String id, long deadline) {
    for (int failedPolls = 0; ; ) {
      try {
        byte[] history = http.get(endpoints.history(id), MAX_HISTORY_BYTES, deadline);
        List<ComfyUiAnswers.Output> outputs =
            ComfyUiAnswers.history(history, id, workflow.outputNode(), endpoints.secrets());
        if (outputs != null) return outputs;
        failedPolls = 0;
      } catch (UpstreamException e) {
        boolean passing = e.kind() == UpstreamException.Kind.RETRYABLE && e.shouldRetry() == null;
        if (!passing || ++failedPolls >= MAX_FAILED_POLLS) throw e;
      }
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) Thread.sleep(Duration.ofNanos(Math.min(pollInterval.toNanos(), left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw UpstreamException.cancelled();
      }
      if (deadline - System.nanoTime() <= 0) {
        throw UpstreamException.timeout("the upstream's prompt " + id
            + " had not ended when the request's total deadline ran out");
      }
    }
  }

  /** Deletes the prompt when still queued, interrupts it when running (see the implementation notes). */
  private void cancel(String id) {
    boolean interrupted = Thread.interrupted();
    long end = System.nanoTime() + CANCEL_TIME.toNanos();
    try {
      JsonNode queue = JSON.readTree(http.get(endpoints.queue(), MAX_HISTORY_BYTES, end));
      if (holds(queue.path("queue_pending"), id)) {
        ObjectNode delete = JSON.createObjectNode();
        delete.putArray("delete").add(id);
        http.postJson(endpoints.queue(), bytes(delete), MAX_ANSWER_BYTES, end, Set.of());
      } else if (holds(queue.path("queue_running"), id)) {
        http.postJson(endpoints.interrupt(), bytes(JSON.createObjectNode().put("prompt_id", id)), MAX_ANSWER_BYTES,
            end, Set.of());
      }
    } catch (UpstreamException | IOException e) {
      // best effort: the prompt ends on its own, only its GPU time is lost
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Whether a {@code /queue} list ({@code [[number, prompt_id, …], …]}) holds the prompt. */
  private static boolean holds(JsonNode list, String id) {
    for (JsonNode item : list) if (item.path(1).asText("").equals(id)) return true;
    return false;
  }

  /** The nodes the request fills with its own text: their validation errors are the client's. */
  private Set<String> clientNodes() {
    Set<String> nodes = new HashSet<>();
    for (Slot s : new Slot[] {Slot.PROMPT, Slot.NEGATIVE_PROMPT}) {
      if (workflow.takes(s)) nodes.add(workflow.nodes().target(s).node());
    }
    return nodes;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain nodes always serializes", e);
    }
  }
}
