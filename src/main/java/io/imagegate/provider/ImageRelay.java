package io.imagegate.provider;

import io.imagegate.usage.Usage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * An upstream answer whose images are still arriving: each image's base64 is copied to the client as it
 * comes, through a bounded buffer, never held whole. What the answer echoes and the usage it reports come at
 * its end ({@link #finish}). The first bytes (status, headers, the JSON before the first image and the start
 * of that image) were checked before the provider handed the relay on; a failure after that breaks the
 * client's answer, which must then be aborted, never completed.
 */
public interface ImageRelay extends AutoCloseable {

  /** Reads on to the next image; false when the answer holds no more. */
  boolean next() throws IOException;

  /**
   * Copies the current image's base64, checked as it passes, to {@code out} as it arrives.
   *
   * @throws IOException when the upstream's body breaks off or is not base64 (a failure of {@code out} is
   *     the caller's to catch: wrap it)
   */
  void copy(OutputStream out) throws IOException;

  /** After the last image: the whole answer checked, what it echoes and the usage it reported. */
  End finish() throws IOException;

  /** Stops reading: the upstream connection is dropped unless the answer was read to its end. */
  @Override
  void close();

  /**
   * @param images how many images the answer held
   * @param usage the usage the upstream reported, if it did
   */
  record End(int images, AnswerFacts facts, Optional<Usage> usage) {}
}
