package io.imagegate.engine;

import java.io.IOException;
import java.io.OutputStream;

/** The client's stream, whose failure (the client left) stops the writing but not the reading. */
final class ClientStream extends OutputStream {
  private final OutputStream out;
  private boolean failed;

  ClientStream(OutputStream out) { this.out = out; }

  boolean failed() { return failed; }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (failed) return;
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      failed = true;
    }
  }

  @Override
  public void flush() {
    if (failed) return;
    try {
      out.flush();
    } catch (IOException e) {
      failed = true;
    }
  }

  @Override
  public void close() {
    if (failed) return;
    try {
      out.close();
    } catch (IOException e) {
      failed = true;
    }
  }
}
