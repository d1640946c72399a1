package io.imagegate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.http.BufferPool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming reader of upstream answers, fed in small reads so that every value spans many refills. */
class AnswerStreamTest {
  private static final BufferPool POOL = new BufferPool(1024, 4);
  private static final BufferPool BIG = new BufferPool(64 * 1024, 2);
  private static final String MARKER = "#0011223344:";

  @Test
  void copy_valuesSpanningRefills_areCopiedExactlyAndTheRestIsKept() throws Exception {
    String a = base64(5000), b = base64(3001);
    String body = "{\"created\":1,\"data\":[{\"b64_json\":\"" + a + "\",\"revised_prompt\":\"x\\\"y\"},"
        + "{\"b64_json\" : \"" + b + "\"}],\"size\":\"1024x1024\"}";
    try (AnswerStream s = open(body, 7)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(s.nextImage()).isTrue();
      s.copy(out);
      assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(a);
      out.reset();
      assertThat(s.nextImage()).isTrue();
      s.copy(out);
      assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(b);
      assertThat(s.nextImage()).isFalse();
      OpenAiAnswers.Parsed parsed = OpenAiAnswers.parseRelayed(s.skeleton(), MARKER, s.values(), java.util.List.of());
      assertThat(parsed.items()).hasSize(2);
      assertThat(parsed.size()).isEqualTo("1024x1024");
    }
  }

  @Test
  void copy_escapedSlashesAndLineBreaks_areUndone() throws Exception {
    String value = base64(2000);
    String escaped = value.replace("/", "\\/").substring(0, 100) + "\\n" + value.replace("/", "\\/").substring(100);
    try (AnswerStream s = open("{\"data\":[{\"b64_json\":\"" + escaped + "\"}]}", 3)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThat(s.nextImage()).isTrue();
      s.copy(out);
      assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(value);
    }
  }

  @Test
  void copy_notBase64_isRefused() throws Exception {
    for (String bad : new String[] {base64(3000) + "!", base64(3000).substring(1), "QUJD=QUJD" + base64(3000),
        base64(3000) + "\\u0041\\\"", "\u00e9" + base64(3000)}) {
      try (AnswerStream s = open("{\"data\":[{\"b64_json\":\"" + bad + "\"}]}", 5)) {
        assertThat(s.nextImage()).isTrue();
        assertThatThrownBy(() -> s.copy(OutputStreamSink.INSTANCE)).as(bad.substring(0, 12)).isInstanceOf(IOException.class);
      }
    }
  }

  /** Reads that fill a 64 KiB buffer: the bulk of each buffer is checked by the decoder, a piece at a time. */
  @Test
  void copy_fullBuffers_copiesExactlyAndRefusesABadByteAnywhere() throws Exception {
    String value = base64(120_000);
    for (int readSize : new int[] {65536, 65535, 5000}) {
      try (AnswerStream s = open("{\"data\":[{\"b64_json\":\"" + value + "\"}]}", readSize, BIG)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(s.nextImage()).isTrue();
        s.copy(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(value);
        assertThat(s.nextImage()).isFalse();
      }
    }
    // every offset around the ends of the decoder's first piece and of its last one in the first buffer, so
    // that padding lands on a piece's last bytes, then a few others
    int[] offsets = java.util.stream.Stream.of(java.util.stream.IntStream.range(4080, 4105),
        java.util.stream.IntStream.range(61425, 61450), java.util.stream.IntStream.of(0, 1, 100_003, 159_996))
        .flatMapToInt(x -> x).toArray();
    for (int at : offsets) {
      for (String insert : new String[] {"!", "AA==", "A===", "=", "\u00e9", " ", "-", "_", "\u0000"}) {
        String bad = value.substring(0, at) + insert + value.substring(at);
        try (AnswerStream s = open("{\"data\":[{\"b64_json\":\"" + bad + "\"}]}", 65536, BIG)) {
          assertThat(s.nextImage()).isTrue();
          assertThatThrownBy(() -> s.copy(OutputStreamSink.INSTANCE)).as(at + " " + insert)
              .isInstanceOf(IOException.class);
        }
      }
    }
  }

  @Test
  void copy_bodyEndingInsideAValue_isRefused() throws Exception {
    try (AnswerStream s = open("{\"data\":[{\"b64_json\":\"" + base64(3000), 11)) {
      assertThat(s.nextImage()).isTrue();
      assertThatThrownBy(() -> s.copy(OutputStreamSink.INSTANCE)).isInstanceOf(java.io.EOFException.class);
    }
  }

  @Test
  void open_smallAnswer_isWhole() throws Exception {
    try (AnswerStream s = open("{\"data\":[{\"b64_json\":\"QUJD\"}]}", 3)) {
      assertThat(s.whole()).isTrue();
      assertThat(new String(s.wholeBody(), StandardCharsets.US_ASCII)).startsWith("{\"data\"");
    }
  }

  @Test
  void close_givesTheBufferBack() throws Exception {
    for (int i = 0; i < 10; i++) {
      open("{\"data\":[{\"b64_json\":\"" + base64(3000) + "\"}]}", 100).close();
    }
    assertThat(POOL.bytesInUse()).isZero();
  }

  private static AnswerStream open(String body, int readSize) throws Exception {
    return open(body, readSize, POOL);
  }

  private static AnswerStream open(String body, int readSize, BufferPool pool) throws Exception {
    InputStream slow = new FilterInputStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException { return super.read(b, off, Math.min(len, readSize)); }
    };
    return AnswerStream.open(slow, pool, pool.take(1000), MARKER);
  }

  private static String base64(int bytes) {
    byte[] b = new byte[bytes];
    new Random(bytes).nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) { }

    @Override
    public void write(byte[] b, int off, int len) { }
  }
}
