package io.imagegate.idempotency;

import java.io.IOException;
import java.io.OutputStream;

/** The client stream first (its failure is the caller's to see), then the recording's copy. */
final class Tee extends OutputStream {
  private final OutputStream out;
  private final Recording recording;

  Tee(OutputStream out, Recording recording) {
    this.out = out;
    this.recording = recording;
  }

  @Override
  public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

  @Override
  public void write(byte[] bytes, int off, int len) throws IOException {
    out.write(bytes, off, len);
    recording.write(bytes, off, len);
  }

  @Override
  public void flush() throws IOException { out.flush(); }

  /** Flushes only: the client stream belongs to the caller, the copy to the recording. */
  @Override
  public void close() throws IOException { out.flush(); }
}
