package io.imagegate.provider;

import java.io.IOException;

/** An upstream's server-sent events, relayed one by one as they arrive. */
public interface EventStream extends AutoCloseable {

  /** The next event, blocking until it arrives; null at the end of the stream. */
  SseFrame next() throws IOException;

  /** Stops reading and releases the upstream connection. */
  @Override
  void close();
}
