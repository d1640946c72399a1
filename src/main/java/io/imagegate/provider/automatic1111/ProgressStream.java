package io.imagegate.provider.automatic1111;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ApiException;
import io.imagegate.api.OutputFormat;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.EventStream;
import io.imagegate.provider.SseFrame;
import io.imagegate.provider.Transcoder;
import io.imagegate.provider.UpstreamException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

/**
 * A {@code stream: true} answer of a drawing in progress, as spec §6's events: while the call runs, its
 * {@code /progress} is polled every {@code progress_interval_ms} and each new preview (one that differs from
 * the last sent) becomes a {@code *.partial_image} event, at most {@code partial_images} of them; then one
 * {@code *.completed} event per image. While it waits with no partial to send, a keep-alive comment goes
 * out every second, so that a client that hung up is noticed. A failure after the first event is an
 * {@code error} event. Closing the stream before the end (the client hung up) interrupts the box.
 */
final class ProgressStream implements EventStream {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

  private final Automatic1111Call call;
  private final String prefix;
  private final int partials;
  private final Duration interval;
  private final long deadline;
  private final AnswerFacts facts;
  private final OutputFormat format;
  private final int compression;
  private final long created = System.currentTimeMillis() / 1000;
  private final Deque<SseFrame> pending = new ArrayDeque<>();
  private int sent;
  private byte[] last;
  private boolean ended;

  ProgressStream(Automatic1111Call call, String prefix, int partials, Duration interval, long deadline,
      AnswerFacts facts, OutputFormat format, int compression) {
    this.call = call;
    this.prefix = prefix;
    this.partials = partials;
    this.interval = interval;
    this.deadline = deadline;
    this.facts = facts;
    this.format = format;
    this.compression = compression;
  }

  @Override
  public SseFrame next() {
    while (pending.isEmpty()) {
      if (ended) return null;
      try {
        step();
      } catch (InterruptedException e) {
        call.cancel();
        Thread.currentThread().interrupt();
        ended = true;
        return null;
      }
    }
    return pending.poll();
  }

  private void step() throws InterruptedException {
    if (!call.done() && sent < partials && System.nanoTime() < deadline) {
      if (call.waitFor(interval)) return; // ended while waiting: answered below on the next step
      byte[] preview = call.preview(deadline);
      if (preview != null && !Arrays.equals(preview, last)) {
        last = preview;
        try {
          pending.add(partial(Transcoder.toFormat(preview, format, compression, "partial_image")));
          sent++;
        } catch (ApiException notAnImage) {
          // a preview that does not decode is skipped: the final image still comes
        }
      }
      return;
    }
    if (!call.done() && System.nanoTime() < deadline) {
      // no more partials to send: wait, and say so every second, so that a client that left is noticed
      // (its write fails) and the box interrupted, instead of drawing on until the end
      if (!call.waitFor(KEEP_ALIVE)) pending.add(new SseFrame(null, null));
      return;
    }
    ended = true;
    List<byte[]> images;
    try {
      images = call.await(deadline);
    } catch (UpstreamException e) {
      pending.add(error(e.kind() == UpstreamException.Kind.TIMEOUT ? "upstream_timeout" : "upstream_error", e.getMessage()));
      return;
    }
    for (int i = 0; i < images.size(); i++) {
      try {
        pending.add(completed(Transcoder.toFormat(images.get(i), format, compression, "data[" + i + "]")));
      } catch (ApiException e) {
        pending.add(error("upstream_error", e.getMessage()));
        return;
      }
    }
  }

  @Override
  public void close() {
    call.cancel();
  }

  private SseFrame partial(byte[] image) {
    ObjectNode data = frame(prefix + ".partial_image", image);
    data.put("partial_image_index", sent);
    return new SseFrame(prefix + ".partial_image", data.toString());
  }

  private SseFrame completed(byte[] image) {
    ObjectNode data = frame(prefix + ".completed", image);
    ObjectNode usage = data.putObject("usage").put("input_tokens", 0).put("output_tokens", 0).put("total_tokens", 0);
    usage.putObject("input_tokens_details").put("text_tokens", 0).put("image_tokens", 0);
    usage.putObject("output_tokens_details").put("image_tokens", 0).put("text_tokens", 0);
    return new SseFrame(prefix + ".completed", data.toString());
  }

  private ObjectNode frame(String type, byte[] image) {
    return JSON.createObjectNode().put("type", type).put("b64_json", Base64.getEncoder().encodeToString(image))
        .put("created_at", created).put("size", facts.size()).put("quality", facts.quality())
        .put("background", facts.background()).put("output_format", facts.outputFormat());
  }

  private static SseFrame error(String code, String message) {
    ObjectNode data = JSON.createObjectNode().put("type", "error");
    data.putObject("error").put("message", message).put("type", "upstream_error").putNull("param").put("code", code);
    return new SseFrame("error", data.toString());
  }
}
