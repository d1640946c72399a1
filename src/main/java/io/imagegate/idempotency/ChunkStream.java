package io.imagegate.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A stored body read back chunk by chunk, one short query per chunk: a slow client holds one decoded chunk
 * in memory and no pooled connection between reads. A chunk missing part way (the key expired and was
 * purged meanwhile) or a length that does not add up is an {@link IOException}, never a shorter answer.
 */
final class ChunkStream extends InputStream {
  private final BodyChunks chunks;
  private final ClaimRows.Claim claim;
  private final int count;
  private final long bytes;
  private byte[] chunk = new byte[0];
  private int pos;
  private int next;
  private long read;

  ChunkStream(BodyChunks chunks, ClaimRows.Claim claim, int count, long bytes) {
    this.chunks = chunks;
    this.claim = claim;
    this.count = count;
    this.bytes = bytes;
  }

  /** Loads the first chunk, so that a body deleted already fails on open rather than on the first read. */
  ChunkStream start() throws IOException {
    fill();
    return this;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) return -1;
    return chunk[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) return 0;
    if (!fill()) return -1;
    int n = Math.min(len, chunk.length - pos);
    System.arraycopy(chunk, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Makes bytes available in {@code chunk}; false at the end of the body. */
  private boolean fill() throws IOException {
    while (pos == chunk.length) {
      if (next == count) {
        if (read != bytes) throw new IOException("stored answer is " + read + " bytes, expected " + bytes);
        return false;
      }
      byte[] loaded = chunks.read(claim, next);
      if (loaded == null) throw new IOException("the idempotent answer was deleted while it was replayed");
      next++;
      read += loaded.length;
      if (read > bytes) throw new IOException("stored answer is longer than its " + bytes + " bytes");
      chunk = loaded;
      pos = 0;
    }
    return true;
  }
}
