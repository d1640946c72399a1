package io.imagegate.provider;

import io.imagegate.usage.Usage;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Optional;

/**
 * The images of one answer, produced lazily so that the web layer can stream each one to the client as
 * soon as it exists and never holds all of them at once; or, for a relayed upstream stream, its events.
 */
public interface ImageBatch {

  /** How many images the answer holds. */
  int count();

  /** The encoded file of image {@code index}; may block while it is drawn or downloaded. */
  byte[] image(int index);

  /**
   * Writes image {@code index} as standard base64 to {@code out}, streaming: the local engine's bytes are
   * encoded on the way into the socket; upstream answers, which already hold base64, hand it on as it is.
   * Does not close {@code out}.
   */
  default void writeBase64(int index, OutputStream out) throws IOException {
    OutputStream encoder = Base64.getEncoder().wrap(new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

      @Override
      public void close() throws IOException { flush(); } // keep the socket open for the rest of the answer
    });
    encoder.write(image(index));
    encoder.close(); // writes the padding
  }

  /**
   * A coarser render of image {@code index} for a streamed answer: step {@code step} of {@code steps}, each
   * finer than the one before, all coarser than the final image. Null when this provider draws no partials
   * (an upstream that answered plain JSON), in which case none are sent.
   */
  default byte[] partial(int index, int step, int steps) { return null; }

  /** The resolved size, quality, background and format the answer echoes. */
  AnswerFacts facts();

  /** The usage the upstream reported, if it reported one; the pipeline computes it otherwise. */
  Optional<Usage> reportedUsage();

  /** The upstream's own event stream when it streamed; then {@link #count()} and {@link #image} are unused. */
  default Optional<EventStream> events() { return Optional.empty(); }

  /**
   * The answer still arriving, when it is too large to hold: its images are copied to the client as they
   * come; then {@link #count()}, {@link #image} and {@link #reportedUsage()} are unused (see its end).
   */
  default Optional<ImageRelay> relay() { return Optional.empty(); }

  /** A finished answer of files already in memory: the images as drawn, their facts and the usage reported. */
  static ImageBatch of(java.util.List<byte[]> images, AnswerFacts facts, Optional<Usage> usage) {
    java.util.List<byte[]> held = java.util.List.copyOf(images);
    return new ImageBatch() {
      @Override
      public int count() { return held.size(); }

      @Override
      public byte[] image(int index) { return held.get(index); }

      @Override
      public AnswerFacts facts() { return facts; }

      @Override
      public Optional<Usage> reportedUsage() { return usage; }
    };
  }
}
