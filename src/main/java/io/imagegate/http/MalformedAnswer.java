package io.imagegate.http;

import java.io.IOException;

/**
 * An answer that is not HTTP/1.1 as this client accepts it: a bad status line or header, a body framed two
 * ways or by disagreeing lengths, a bad chunk. Never retried on the same connection.
 */
public final class MalformedAnswer extends IOException {
  public MalformedAnswer(String message) { super(message); }
}
