package io.imagegate.provider.openai;

import io.imagegate.provider.EventStream;
import io.imagegate.provider.SseFrame;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads server-sent events off an upstream body one frame at a time ({@code event:} and {@code data:}
 * lines up to a blank line), so each is relayed the moment it arrives.
 */
final class SseReader implements EventStream {
  private final InputStream body;
  private final BufferedReader lines;
  private final Runnable onClose;
  private SseFrame pushedBack;
  private boolean closed;

  SseReader(InputStream body, Runnable onClose) {
    this.body = body;
    this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 64 * 1024);
    this.onClose = onClose;
  }

  /** Puts a frame back so that the next {@link #next()} returns it first (used after a peek). */
  void pushBack(SseFrame frame) { pushedBack = frame; }

  @Override
  public SseFrame next() throws IOException {
    if (pushedBack != null) {
      SseFrame frame = pushedBack;
      pushedBack = null;
      return frame;
    }
    String event = null;
    StringBuilder data = null;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) return new SseFrame(event, data.toString());
        event = null;
        continue;
      }
      if (line.startsWith(":")) continue; // comment / keep-alive
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) value = value.substring(1);
      switch (field) {
        case "event" -> event = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> { } // id, retry: not needed for relaying images
      }
    }
    return data != null ? new SseFrame(event, data.toString()) : null;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      body.close();
    } catch (IOException ignored) {
      // the connection is being abandoned anyway
    }
    onClose.run();
  }
}
