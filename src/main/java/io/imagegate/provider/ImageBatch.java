package io.imagegate.provider;

import io.imagegate.usage.Usage;
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

  /** The resolved size, quality, background and format the answer echoes. */
  AnswerFacts facts();

  /** The usage the upstream reported, if it reported one; the pipeline computes it otherwise. */
  Optional<Usage> reportedUsage();

  /** The upstream's own event stream when it streamed; then {@link #count()} and {@link #image} are unused. */
  default Optional<EventStream> events() { return Optional.empty(); }
}
