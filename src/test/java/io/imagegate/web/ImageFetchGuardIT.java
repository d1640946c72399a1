package io.imagegate.web;

import static io.imagegate.web.InvalidRequestsIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.Http;
import io.imagegate.testing.ImageServer;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Input-image URLs over real HTTP: server-side request forgery refused (loopback, private, link-local,
 * metadata, other schemes, a redirect into loopback), and a decompression bomb refused from its header.
 */
class ImageFetchGuardIT {
  private static RunningGateway strict;    // no allow-list: loopback is refused like any private address
  private static RunningGateway allowing;  // 127.0.0.1 allow-listed, as the other tests use
  private static ImageServer images;

  @BeforeAll
  static void start() {
    strict = RunningGateway.start(Map.of());
    allowing = RunningGateway.start();
    images = new ImageServer().serve("/input.png", "image/png", TestImages.png(1024, 1024));
  }

  @AfterAll
  static void stop() {
    images.close();
    strict.close();
    allowing.close();
  }

  private static Http.Answer generateFrom(RunningGateway gateway, String imageUrl) {
    return Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"prompt\":\"make it night\",\"size\":\"1024x1024\",\"quality\":\"low\",\"image\":\"" + imageUrl + "\"}");
  }

  @Test
  void generate_loopbackImageUrl_isRefusedWithoutAllowList() {
    Http.Answer answer = generateFrom(strict, images.url("/input.png"));
    assertError(answer, 400, "invalid_request_error", "image", "invalid_image");
    assertThat(answer.error().get("message").asText()).contains("127.0.0.1");
  }

  @Test
  void generate_loopbackImageUrl_isFetchedWhenAllowListed() {
    assertThat(generateFrom(allowing, images.url("/input.png")).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://10.0.0.1/input.png", "http://192.168.1.10/a.png", "http://172.16.0.5/a.png",
      "http://169.254.169.254/latest/meta-data/", "http://[::1]/a.png", "http://0.0.0.0/a.png",
      "http://[::ffff:127.0.0.1]/a.png", "http://metadata.google.internal/computeMetadata/v1/",
      "file:///etc/passwd", "ftp://127.0.0.1/a.png", "gopher://127.0.0.1/a", "jar:http://x/y!/z"})
  void generate_forbiddenImageUrl_isRefusedBeforeAnyConnection(String url) {
    assertError(generateFrom(allowing, url), 400, "invalid_request_error", "image", "invalid_image");
  }

  @Test
  void generate_redirectIntoLoopback_isRefused() {
    int port = Integer.parseInt(images.url("/").replaceAll(".*:(\\d+)/.*", "$1"));
    images.redirect("/to-v6-loopback", "http://[::1]:" + port + "/input.png");
    images.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/");
    assertError(generateFrom(allowing, images.url("/to-v6-loopback")), 400, "invalid_request_error", "image",
        "invalid_image");
    assertError(generateFrom(allowing, images.url("/to-metadata")), 400, "invalid_request_error", "image",
        "invalid_image");
  }

  @Test
  void generate_decompressionBomb_isRefusedFromItsHeader() throws IOException {
    String bomb = Base64.getEncoder().encodeToString(pngHeader(30_000, 30_000));
    Http.Answer answer = Http.postJson(allowing.url("/v1/images/edits"), RunningGateway.MASTER_KEY,
        "{\"prompt\":\"x\",\"image\":\"data:image/png;base64," + bomb + "\"}");
    assertError(answer, 400, "invalid_request_error", "image", "invalid_image");
    assertThat(answer.error().get("message").asText()).contains("30000");
  }

  /** A PNG signature and an IHDR chunk declaring a huge picture, with no pixel data behind it. */
  static byte[] pngHeader(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(out);
    data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    DataOutputStream c = new DataOutputStream(chunk);
    c.writeBytes("IHDR");
    c.writeInt(width);
    c.writeInt(height);
    c.write(new byte[] {8, 6, 0, 0, 0});
    byte[] body = chunk.toByteArray();
    data.writeInt(body.length - 4);
    data.write(body);
    CRC32 crc = new CRC32();
    crc.update(body);
    data.writeInt((int) crc.getValue());
    return out.toByteArray();
  }
}
