package io.imagegate.provider.local;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A fast PNG encoder for packed int pixels: 8-bit RGB or RGBA, one cheap filter per row (Sub or Up,
 * whichever has the smaller sum of absolute bytes), deflate at {@link Deflater#BEST_SPEED}.
 *
 * <p>Why not ImageIO: its writer deflates at a high level and walks the raster per sample, which is
 * several times slower at 4K. Rows are cut into ~512 KiB pieces deflated independently (pigz-style, joined
 * with sync flushes) so large images use every core; the cut depends only on the image geometry, so the
 * bytes never depend on the machine.
 */
final class PngWriter {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  /** Raw bytes per independently deflated piece: small enough to balance 2 cores even at 1024x1024. */
  private static final int PIECE_BYTES = 1 << 19;

  private PngWriter() {}

  /**
   * Encodes {@code w*h} pixels laid out row by row in {@code argb} (0xAARRGGBB; the alpha byte is
   * ignored unless {@code alpha}).
   */
  static byte[] encode(int[] argb, int w, int h, boolean alpha) {
    int bpp = alpha ? 4 : 3;
    int rowBytes = w * bpp + 1;
    int rowsPerPiece = Math.max(1, PIECE_BYTES / rowBytes);
    int pieces = (h + rowsPerPiece - 1) / rowsPerPiece;
    byte[][] deflated = new byte[pieces][];
    int[] lengths = new int[pieces];
    long[] adlers = new long[pieces];
    IntStream range = IntStream.range(0, pieces);
    (pieces > 1 ? range.parallel() : range).forEach(i -> {
      int y0 = i * rowsPerPiece, y1 = Math.min(h, y0 + rowsPerPiece);
      byte[] raw = new byte[(y1 - y0) * rowBytes];
      for (int y = y0; y < y1; y++) {
        filterRow(argb, w, y, alpha, raw, (y - y0) * rowBytes);
      }
      java.util.zip.Adler32 adler = new java.util.zip.Adler32();
      adler.update(raw, 0, raw.length);
      adlers[i] = adler.getValue();
      deflatePiece(raw, i == pieces - 1, deflated, lengths, i);
    });
    long adler = adlers[0];
    for (int i = 1; i < pieces; i++) {
      int y0 = i * rowsPerPiece, y1 = Math.min(h, y0 + rowsPerPiece);
      adler = adlerCombine(adler, adlers[i], (long) (y1 - y0) * rowBytes);
    }
    long idatLen = 2L + 4;
    for (int len : lengths) idatLen += len;
    if (idatLen > Integer.MAX_VALUE - 128) throw new IllegalArgumentException("image too large for one IDAT");

    byte[] out = new byte[SIGNATURE.length + 25 + 12 + (int) idatLen + 12];
    System.arraycopy(SIGNATURE, 0, out, 0, SIGNATURE.length);
    int p = SIGNATURE.length;
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, w);
    putInt(ihdr, 4, h);
    ihdr[8] = 8;                       // bit depth
    ihdr[9] = (byte) (alpha ? 6 : 2);  // colour type: RGBA or RGB
    p = chunk(out, p, "IHDR", ihdr, 0, 13);

    // IDAT written in place: zlib header, the pieces, adler-32
    putInt(out, p, (int) idatLen);
    int typeAt = p + 4;
    byte[] type = "IDAT".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(type, 0, out, typeAt, 4);
    int q = typeAt + 4;
    out[q++] = 0x78;
    out[q++] = 0x01;
    for (int i = 0; i < pieces; i++) {
      System.arraycopy(deflated[i], 0, out, q, lengths[i]);
      q += lengths[i];
    }
    putInt(out, q, (int) adler);
    q += 4;
    CRC32 crc = new CRC32();
    crc.update(out, typeAt, q - typeAt);
    putInt(out, q, (int) crc.getValue());
    p = q + 4;
    chunk(out, p, "IEND", new byte[0], 0, 0);
    return out;
  }

  private static void filterRow(int[] px, int w, int y, boolean alpha, byte[] raw, int o) {
    int base = y * w;
    boolean up = y > 0 && preferUp(px, base, w, alpha);
    raw[o++] = (byte) (up ? 2 : 1);
    // separate tight loops per filter and layout: no branches per pixel
    if (alpha) {
      int prior = 0;
      for (int i = base, end = base + w; i < end; i++, o += 4) {
        int c = px[i], r = up ? px[i - w] : prior;
        raw[o] = (byte) ((c >> 16) - (r >> 16));
        raw[o + 1] = (byte) ((c >> 8) - (r >> 8));
        raw[o + 2] = (byte) (c - r);
        raw[o + 3] = (byte) ((c >>> 24) - (r >>> 24));
        prior = c;
      }
    } else if (up) {
      for (int i = base, end = base + w; i < end; i++, o += 3) {
        int c = px[i], r = px[i - w];
        raw[o] = (byte) ((c >> 16) - (r >> 16));
        raw[o + 1] = (byte) ((c >> 8) - (r >> 8));
        raw[o + 2] = (byte) (c - r);
      }
    } else {
      int r = 0;
      for (int i = base, end = base + w; i < end; i++, o += 3) {
        int c = px[i];
        raw[o] = (byte) ((c >> 16) - (r >> 16));
        raw[o + 1] = (byte) ((c >> 8) - (r >> 8));
        raw[o + 2] = (byte) (c - r);
        r = c;
      }
    }
  }

  /**
   * Sub or Up, by the usual minimum-sum-of-absolute-differences heuristic, estimated on every fourth
   * pixel: the full sums cost more than the filtering itself.
   */
  private static boolean preferUp(int[] px, int base, int w, boolean alpha) {
    long sub = 0, up = 0;
    for (int i = base + 1, end = base + w; i < end; i += 4) {
      int c = px[i], l = px[i - 1], a = px[i - w];
      sub += abs8((c >> 16) - (l >> 16)) + abs8((c >> 8) - (l >> 8)) + abs8(c - l);
      up += abs8((c >> 16) - (a >> 16)) + abs8((c >> 8) - (a >> 8)) + abs8(c - a);
      if (alpha) {
        sub += abs8((c >>> 24) - (l >>> 24));
        up += abs8((c >>> 24) - (a >>> 24));
      }
    }
    return up < sub;
  }

  private static int abs8(int d) {
    int b = (byte) d;
    return b < 0 ? -b : b;
  }

  private static void deflatePiece(byte[] raw, boolean last, byte[][] out, int[] lengths, int i) {
    Deflater d = new Deflater(Deflater.BEST_SPEED, true);
    try {
      d.setInput(raw);
      byte[] buf = new byte[raw.length / 4 + 1024];
      int n = 0;
      if (last) {
        d.finish();
        while (!d.finished()) {
          if (n == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
          n += d.deflate(buf, n, buf.length - n);
        }
      } else {
        // a sync flush ends the piece on a byte boundary without BFINAL, so pieces concatenate
        while (true) {
          if (n == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
          int room = buf.length - n;
          int got = d.deflate(buf, n, room, Deflater.SYNC_FLUSH);
          n += got;
          if (got < room && d.needsInput()) break;
        }
      }
      out[i] = buf;
      lengths[i] = n;
    } finally {
      d.end();
    }
  }

  /** zlib's adler32_combine: the checksum of A+B from those of A and B and B's length. */
  static long adlerCombine(long adler1, long adler2, long len2) {
    final long base = 65521;
    long rem = len2 % base;
    long sum1 = adler1 & 0xFFFF;
    long sum2 = rem * sum1 % base;
    sum1 += (adler2 & 0xFFFF) + base - 1;
    sum2 += (adler1 >>> 16 & 0xFFFF) + (adler2 >>> 16 & 0xFFFF) + base - rem;
    if (sum1 >= base) sum1 -= base;
    if (sum1 >= base) sum1 -= base;
    if (sum2 >= base << 1) sum2 -= base << 1;
    if (sum2 >= base) sum2 -= base;
    return sum1 | sum2 << 16;
  }

  private static int chunk(byte[] out, int p, String type, byte[] data, int off, int len) {
    putInt(out, p, len);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, out, p + 4, 4);
    System.arraycopy(data, off, out, p + 8, len);
    CRC32 crc = new CRC32();
    crc.update(out, p + 4, 4 + len);
    putInt(out, p + 8 + len, (int) crc.getValue());
    return p + 12 + len;
  }

  private static void putInt(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }
}
