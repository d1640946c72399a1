package io.imagegate.provider.openai;

import io.imagegate.http.BufferPool;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * An OpenAI-shaped images answer read as it arrives, through one buffer of a {@link BufferPool}: each
 * {@code "b64_json"} value is copied on to the client as it comes, checked as it passes, and never held
 * whole; everything else (a few hundred bytes of JSON) is kept, with a marker in place of each copied value,
 * and parsed at the end ({@link OpenAiAnswers#parseRelayed}).
 *
 * <p>Implementation notes: outside the image values the scanner only follows strings (quotes and escapes),
 * so it needs no JSON grammar of its own: a string equal to {@code b64_json} followed by {@code :} and a
 * quote starts a value. Inside a value, the alphabet is checked by one table look-up per byte; padding may
 * only end it, and the escapes JSON allows there ({@code \/}, whitespace) are undone.
 */
final class AnswerStream implements AutoCloseable {
  /** The most JSON kept outside the images: far more than any answer's facts, usage and revised prompts. */
  static final int MAX_SKELETON = 1 << 20;
  private static final int PROBE_CHARS = 16 * 1024;
  private static final byte[] KEY = "b64_json".getBytes(StandardCharsets.US_ASCII);
  private static final boolean[] ALPHABET = OpenAiAnswers.ALPHABET;
  /** Bytes of base64 the decoder checks at a time (a multiple of 4). */
  private static final int PIECE = 4096;
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private final InputStream in;
  private final BufferPool pool;
  private final String marker;
  private final ByteArrayOutputStream skeleton = new ByteArrayOutputStream(1024);
  private byte[] buf;
  private int pos;
  private int limit;
  private boolean eof;
  private int values;
  /** 0: nothing; 1: the last string was the key b64_json; 2: and its colon followed. */
  private int keyState;
  private final byte[] probe = new byte[PROBE_CHARS];
  private final byte[] piece = new byte[PIECE];
  private final byte[] decoded = new byte[PIECE / 4 * 3];
  private int probeLength;

  private AnswerStream(InputStream in, BufferPool pool, byte[] buf, String marker) {
    this.in = in;
    this.pool = pool;
    this.buf = buf;
    this.marker = marker;
  }

  /**
   * Reads the answer's first bytes into a buffer of the pool: the whole answer when it fits.
   *
   * @param buffer a buffer taken from {@code pool}; given back on {@link #close}
   */
  static AnswerStream open(InputStream in, BufferPool pool, byte[] buffer, String marker) throws IOException {
    AnswerStream s = new AnswerStream(in, pool, buffer, marker);
    try {
      while (s.limit < buffer.length) {
        int n = in.read(buffer, s.limit, buffer.length - s.limit);
        if (n < 0) {
          s.eof = true;
          break;
        }
        s.limit += n;
      }
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** Whether the whole answer fit in the first buffer (then {@link #wholeBody} holds it). */
  boolean whole() { return eof && pos == 0; }

  byte[] wholeBody() { return Arrays.copyOf(buf, limit); }

  /**
   * Reads on to the start of the next {@code b64_json} value, keeping the JSON passed over.
   *
   * @return true when a value starts (its opening quote was read), false at the end of the body
   */
  boolean nextImage() throws IOException {
    while (true) {
      int b = read1();
      if (b < 0) return false;
      keep(b);
      if (b == '"') {
        if (keyState == 2) {
          keyState = 0;
          return true;
        }
        keyState = restOfString() ? 1 : 0;
      } else if (b == ':' && keyState == 1) {
        keyState = 2;
      } else if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        keyState = 0;
      }
    }
  }

  /**
   * Checks what the buffer already holds of the current value, without copying it: a value that is not
   * base64 is then refused before anything of it was sent.
   */
  void checkAhead() throws IOException {
    int i = alphabetRun(buf, pos, limit);
    if (i < limit && buf[i] != '"' && buf[i] != '=' && buf[i] != '\\') throw notBase64();
  }

  /** Copies the current value's base64 to {@code out} up to its closing quote, checking it as it goes. */
  void copy(OutputStream out) throws IOException {
    long n = 0;
    int padding = 0;
    while (true) {
      if (!more()) throw new EOFException("the answer ended inside image " + values);
      int start = pos;
      int i = padding == 0 ? base64Run(pos, limit) : pos;
      if (i > start) {
        emit(out, buf, start, i - start);
        n += i - start;
      }
      pos = i;
      if (i == limit) continue;
      int c = buf[pos++] & 0xff;
      if (c == '"') break;
      if (c == '\\') {
        c = unescape();
        if (c == 0) continue; // an escaped line break: not part of the base64
      }
      if (c == '=' && padding < 2) {
        padding++;
      } else if (padding > 0 || !ALPHABET[c]) {
        throw notBase64();
      }
      emit(out, new byte[] {(byte) c}, 0, 1);
      n++;
    }
    if (n == 0 || n % 4 != 0) throw notBase64();
    keepAll((marker + values).getBytes(StandardCharsets.US_ASCII));
    keep('"');
    values++;
  }

  /**
   * The end of the run of base64 alphabet bytes from {@code from}. The bulk of a buffer is checked by the JDK's
   * decoder, whose loop the JIT replaces with vector instructions (several times the speed of a table look-up
   * per byte), a piece of {@value #PIECE} bytes at a time through this stream's own two small arrays, so the
   * check allocates nothing: a decoder that succeeds on a piece not ending in {@code =} has met only alphabet
   * bytes. The piece holding the value's end (its quote), an escape or a bad byte fails the decoder, and the
   * rest of the buffer is checked byte by byte instead, which finds where the run stops.
   */
  private int base64Run(int from, int to) {
    byte[] b = buf;
    while (to - from >= PIECE) {
      System.arraycopy(b, from, piece, 0, PIECE);
      if (piece[PIECE - 1] == '=') break;
      try {
        DECODER.decode(piece, decoded);
      } catch (IllegalArgumentException e) {
        break; // not all alphabet: the table finds where it stops
      }
      from += PIECE;
    }
    return alphabetRun(b, from, to);
  }

  /** The end of the run of base64 alphabet bytes from {@code from} (a static loop over locals, for the JIT). */
  private static int alphabetRun(byte[] b, int from, int to) {
    boolean[] alphabet = ALPHABET;
    int i = from;
    while (i < to && alphabet[b[i] & 0xff]) i++;
    return i;
  }

  /** The JSON outside the images, each copied value replaced by its marker; the body must have ended. */
  byte[] skeleton() { return skeleton.toByteArray(); }

  String marker() { return marker; }

  /** How many values were copied. */
  int values() { return values; }

  /** The first bytes of the first image, decoded: enough to read its header. */
  byte[] probe() {
    int usable = probeLength - probeLength % 4;
    try {
      return Base64.getDecoder().decode(Arrays.copyOf(probe, usable));
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  /** Gives the buffer back (once); the body is the caller's to close. */
  @Override
  public void close() {
    byte[] b = buf;
    buf = null;
    if (b != null) pool.release(b);
  }

  private void emit(OutputStream out, byte[] b, int off, int len) throws IOException {
    if (values == 0 && probeLength < PROBE_CHARS) {
      int k = Math.min(len, PROBE_CHARS - probeLength);
      System.arraycopy(b, off, probe, probeLength, k);
      probeLength += k;
    }
    out.write(b, off, len);
  }

  /** After a backslash in a value: the character it stands for, 0 for whitespace. */
  private int unescape() throws IOException {
    int e = read1();
    switch (e) {
      case '/' -> { return '/'; }
      case 'n', 'r', 't' -> { return 0; }
      case 'u' -> {
        int code = 0;
        for (int k = 0; k < 4; k++) {
          int h = Character.digit(read1(), 16);
          if (h < 0) throw notBase64();
          code = code * 16 + h;
        }
        if (code == '\n' || code == '\r' || code == '\t' || code == ' ') return 0;
        if (code < 128 && (ALPHABET[code] || code == '=')) return code;
        throw notBase64();
      }
      default -> throw notBase64();
    }
  }

  /** Copies the rest of a string (its opening quote read) into the skeleton; whether it was {@code b64_json}. */
  private boolean restOfString() throws IOException {
    int length = 0;
    boolean key = true;
    while (true) {
      int c = read1();
      if (c < 0) return false;
      keep(c);
      if (c == '"') return key && length == KEY.length;
      if (c == '\\') {
        int e = read1();
        if (e < 0) return false;
        keep(e);
        key = false;
        length += 2;
        continue;
      }
      if (length >= KEY.length || KEY[length] != c) key = false;
      length++;
    }
  }

  private void keep(int b) throws IOException {
    if (skeleton.size() >= MAX_SKELETON) throw new IOException("the answer holds over 1 MiB of JSON besides its images");
    skeleton.write(b);
  }

  private void keepAll(byte[] b) throws IOException {
    for (byte x : b) keep(x);
  }

  private int read1() throws IOException { return more() ? buf[pos++] & 0xff : -1; }

  /** Whether a byte is at hand, reading the next block when the buffer is used up; false at the end. */
  private boolean more() throws IOException {
    if (pos < limit) return true;
    if (eof) return false;
    if (buf == null) throw new IOException("the answer's stream is closed");
    pos = 0;
    limit = 0;
    int n = in.read(buf, 0, buf.length);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit = n;
    return true;
  }

  private IOException notBase64() { return new IOException("image " + values + "'s 'b64_json' is not valid base64"); }
}
