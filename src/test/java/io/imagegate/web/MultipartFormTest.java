package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The multipart reader, fed whole and in small reads so that delimiters and headers span refills. */
class MultipartFormTest {
  private static final String B = "----sdk-boundary-0123456789";
  private static final String TYPE = "multipart/form-data; boundary=" + B;
  private static final MultipartForm.Limits LIMITS = new MultipartForm.Limits(200_000, 1000, 8,
      java.util.Set.of("image", "image[]", "mask"));
  private static final int[] READS = {1, 3, 7, 100, 4096, 1 << 20};

  @Test
  void read_partsWithAndWithoutFileNames_keepTheirExactBytes() throws Exception {
    byte[] a = random(130_000, 1);
    byte[] b = random(140_001, 2);
    // content that looks like the start of a delimiter, but is not one
    byte[] tricky = ("x\r\n--" + B.substring(0, 10) + "\r\n-\r\n--" + B.substring(0, B.length() - 1) + "Y\r\n--").getBytes(StandardCharsets.ISO_8859_1);
    byte[] body = new Body()
        .part("form-data; name=\"prompt\"", null, "Put a red hat on the cat".getBytes(StandardCharsets.UTF_8))
        .part("form-data; name=\"image[]\"", "application/octet-stream", a)
        .part("form-data; name=\"image[]\"", "application/octet-stream", b)
        .part("form-data; name=\"mask\"; filename=\"mask.png\"", "image/png", tricky)
        .part("form-data; name=\"n\"", null, new byte[0])
        .close().bytes();
    for (int readSize : READS) {
      List<MultipartForm.Part> parts = read(body, TYPE, readSize);
      assertThat(parts).extracting(MultipartForm.Part::name).containsExactly("prompt", "image[]", "image[]", "mask", "n");
      assertThat(new String(parts.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("Put a red hat on the cat");
      assertThat(parts.get(1).content()).isEqualTo(a);
      assertThat(parts.get(1).fileName()).isNull();
      assertThat(parts.get(1).contentType()).isEqualTo("application/octet-stream");
      assertThat(parts.get(2).content()).isEqualTo(b);
      assertThat(parts.get(3).content()).isEqualTo(tricky);
      assertThat(parts.get(3).fileName()).isEqualTo("mask.png");
      assertThat(parts.get(4).content()).isEmpty();
    }
  }

  @Test
  void read_largeFileLastOrNotAndBodiesWithoutTheFinalLineBreak_keepTheirExactBytes() throws Exception {
    byte[] a = random(150_000, 3);
    byte[] b = random(70_000, 4);
    byte[] last = new Body().part("form-data; name=\"prompt\"", null, "p".getBytes(StandardCharsets.UTF_8))
        .part("form-data; name=\"image[]\"", "image/png", a).close().bytes();
    byte[] notLast = new Body().part("form-data; name=\"image[]\"", "image/png", a)
        .part("form-data; name=\"image[]\"", "image/png", b)
        .part("form-data; name=\"model\"", null, "gpt-image-2".getBytes(StandardCharsets.UTF_8)).close().bytes();
    // "--boundary--" with no CRLF after it: the foreseen size is 2 bytes short
    byte[] noFinalBreak = java.util.Arrays.copyOf(last, last.length - 2);
    // an epilogue after the closing delimiter: the foreseen size is too large
    byte[] epilogue = java.util.Arrays.copyOf(last, last.length + 40_000);
    for (int readSize : READS) {
      for (byte[] body : List.of(last, noFinalBreak, epilogue)) {
        List<MultipartForm.Part> parts = read(body, TYPE, readSize);
        assertThat(parts).extracting(MultipartForm.Part::name).containsExactly("prompt", "image[]");
        assertThat(parts.get(1).content()).isEqualTo(a);
      }
      List<MultipartForm.Part> parts = read(notLast, TYPE, readSize);
      assertThat(parts.get(0).content()).isEqualTo(a);
      assertThat(parts.get(1).content()).isEqualTo(b);
      assertThat(new String(parts.get(2).content(), StandardCharsets.UTF_8)).isEqualTo("gpt-image-2");
    }
    // a body that ends inside the large part is refused whichever way it is read
    assertRefused(new String(last, 0, last.length - 5_000, StandardCharsets.ISO_8859_1), TYPE, 400, "closing boundary");
  }

  @Test
  void read_preambleEpilogueQuotedBoundaryAndSpacesAfterIt_areAccepted() throws Exception {
    String body = "a preamble line\r\n--" + B + "  \r\ncontent-disposition: form-data; NAME=\"model\"\r\n\r\ngpt-image-2"
        + "\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"image\"; filename*=UTF-8''caf%C3%A9.png;"
        + " filename=\"cafe.png\"\r\n\r\nPNG\r\n--" + B + "--\r\nan epilogue";
    for (int readSize : READS) {
      List<MultipartForm.Part> parts = read(body.getBytes(StandardCharsets.UTF_8),
          "Multipart/Form-Data; charset=utf-8; boundary=\"" + B + "\"", readSize);
      assertThat(parts).extracting(MultipartForm.Part::name).containsExactly("model", "image");
      assertThat(new String(parts.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("gpt-image-2");
      assertThat(parts.get(1).fileName()).isEqualTo("café.png");
    }
  }

  @Test
  void read_malformedBodies_are400sThatSayWhatIsWrong() {
    String ok = "--" + B + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx";
    assertRefused(ok, TYPE, 400, "closing boundary");
    assertRefused(ok + "\r\n--" + B + "--", "multipart/form-data", 400, "no boundary");
    assertRefused(ok + "\r\n--" + B + "--", "multipart/form-data; boundary=" + "b".repeat(71), 400, "70");
    assertRefused("--" + B + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + B + "--", TYPE, 400, "no name");
    assertRefused("--" + B + "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--" + B + "--", TYPE, 400,
        "form-data");
    assertRefused("--" + B + "\r\nX: " + "y".repeat(9000) + "\r\n\r\nx\r\n--" + B + "--", TYPE, 400, "8 KiB");
    assertRefused("--" + B + "X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--" + B + "--", TYPE, 400,
        "line break");
    assertRefused("{\"prompt\":\"" + "x".repeat(20_000) + "\"}", TYPE, 400, "holds no boundary line");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 9; i++) many.append("--").append(B).append("\r\nContent-Disposition: form-data; name=\"f")
        .append(i).append("\"\r\n\r\nv\r\n");
    assertRefused(many + "--" + B + "--", TYPE, 400, "more than 8 parts");
  }

  @Test
  void read_partsOverTheirLimits_are413ForFilesAnd400ForText() {
    String file = "--" + B + "\r\nContent-Disposition: form-data; name=\"image[]\"\r\n\r\n" + "A".repeat(200_001)
        + "\r\n--" + B + "--";
    ApiException e = assertRefused(file, TYPE, 413, "'image[]' is larger");
    assertThat(e.code()).isEqualTo("request_too_large");
    String text = "--" + B + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n" + "p".repeat(1001)
        + "\r\n--" + B + "--";
    assertThat(assertRefused(text, TYPE, 400, "'prompt' is longer").param()).isEqualTo("prompt");
    // a file part of the limit exactly is fine
    String exact = "--" + B + "\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\n" + "A".repeat(200_000)
        + "\r\n--" + B + "--";
    assertThat(readQuietly(exact)).hasSize(1);
  }

  @Test
  void headerParams_readTokensQuotedStringsAndEscapes() {
    assertThat(HeaderParams.param("form-data; name=\"a\\\"b\"; filename=x.png", "name")).isEqualTo("a\"b");
    assertThat(HeaderParams.param("form-data; name=\"a;b\"; filename=x.png", "filename")).isEqualTo("x.png");
    assertThat(HeaderParams.param("form-data; name=a", "filename")).isNull();
    assertThat(HeaderParams.fileName("form-data; name=a; filename*=utf-8''%E2%82%AC.png")).isEqualTo("€.png");
    assertThat(HeaderParams.fileName("form-data; name=a; filename*=utf-8''%ZZ; filename=\"b.png\"")).isEqualTo("b.png");
  }

  private static List<MultipartForm.Part> readQuietly(String body) {
    try {
      return read(body.getBytes(StandardCharsets.ISO_8859_1), TYPE, 4096);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ApiException assertRefused(String body, String type, int status, String says) {
    ApiException last = null;
    for (int readSize : READS) {
      Throwable t = org.assertj.core.api.Assertions.catchThrowable(
          () -> read(body.getBytes(StandardCharsets.ISO_8859_1), type, readSize));
      assertThat(t).as(says + " at reads of " + readSize).isInstanceOf(ApiException.class);
      last = (ApiException) t;
      assertThat(last.status()).as(says).isEqualTo(status);
      assertThat(last.getMessage()).contains(says);
    }
    return last;
  }

  /**
   * Reads the body twice, chunked (no declared length) and with its Content-Length, which sizes file parts at
   * once: both readings must give the same parts, or the same refusal.
   */
  private static List<MultipartForm.Part> read(byte[] body, String type, int readSize) throws IOException {
    List<MultipartForm.Part> chunked;
    RuntimeException refused = null;
    try {
      chunked = read(body, -1, type, readSize);
    } catch (ApiException e) {
      chunked = null;
      refused = e;
    }
    List<MultipartForm.Part> sized;
    try {
      sized = read(body, body.length, type, readSize);
    } catch (ApiException e) {
      assertThat(refused).as("refused only with a declared length: " + e.getMessage()).isNotNull();
      assertThat(e.getMessage()).isEqualTo(refused.getMessage());
      throw e;
    }
    assertThat(refused).as("refused only without a declared length").isNull();
    assertThat(sized).hasSameSizeAs(chunked);
    for (int i = 0; i < sized.size(); i++) {
      assertThat(sized.get(i).name()).isEqualTo(chunked.get(i).name());
      assertThat(sized.get(i).content()).isEqualTo(chunked.get(i).content());
    }
    return sized;
  }

  private static List<MultipartForm.Part> read(byte[] body, long declared, String type, int readSize)
      throws IOException {
    InputStream in = new FilterInputStream(new ByteArrayInputStream(body)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException { return super.read(b, off, Math.min(len, readSize)); }
    };
    return MultipartForm.read(in, declared, type, LIMITS);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    // plenty of line breaks and dashes, as a PNG has
    for (int i = 0; i + 4 < n; i += 997) {
      b[i] = '\r';
      b[i + 1] = '\n';
      b[i + 2] = '-';
      b[i + 3] = '-';
    }
    return b;
  }

  private static final class Body {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Body part(String disposition, String type, byte[] content) {
      write("--" + B + "\r\nContent-Disposition: " + disposition + "\r\n");
      if (type != null) write("Content-Type: " + type + "\r\n");
      write("\r\n");
      out.writeBytes(content);
      write("\r\n");
      return this;
    }

    Body close() {
      write("--" + B + "--\r\n");
      return this;
    }

    byte[] bytes() { return out.toByteArray(); }

    private void write(String s) { out.writeBytes(s.getBytes(StandardCharsets.UTF_8)); }
  }
}
