package io.imagegate.idempotency;

import java.io.IOException;
import java.io.InputStream;

/** A recorded answer body, readable as often as needed until its key expires. */
@FunctionalInterface
public interface ReplayBody {
  /**
   * A new stream over the body from its first byte; the caller closes it. The stream reads the body as it
   * goes (never all of it into memory).
   *
   * @throws IOException when the body is gone (purged once its key expired) or cannot be read; the stream's
   *     reads throw it too when that happens part way, never ending early as if the body were shorter
   */
  InputStream open() throws IOException;
}
