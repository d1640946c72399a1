package io.imagegate.imagestore;

import io.imagegate.config.ImageStoreSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.Http;
import io.imagegate.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code response_format: url} with {@code IMAGEGATE_IMAGE_STORE=s3}: a gateway in its own JVM, configured only
 * by its environment as in production, keeps the images in an S3Proxy bucket and serves them itself through
 * the signed {@code /v1/images/files/{id}} URLs.
 */
class S3ImageFilesIT {
  private static final String MASTER_KEY = "sk-test-master-s3-0123456789";
  private static final Pattern LISTENING = Pattern.compile("imagegate listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static S3ProxyServer s3;
  private static String bucket;
  private static Path data;
  private static ChildJvm gateway;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.shared();
    bucket = s3.createBucket();
    Path build = ChildJvm.buildDir();
    String classpath = build.resolve("classes") + java.io.File.pathSeparator
        + Files.readString(build.resolve("classpath.txt")).trim();
    data = Files.createTempDirectory("imagegate-s3-it");
    Map<String, String> env = new HashMap<>(s3.environment(bucket));
    env.putAll(Map.of("IMAGEGATE_HOST", "127.0.0.1", "IMAGEGATE_PORT", "0", "IMAGEGATE_DATA_DIR", data.toString(),
        "IMAGEGATE_MASTER_KEY", MASTER_KEY));
    // C1 only and the serial GC: a short-lived JVM starts in half the time on a small machine
    gateway = ChildJvm.start(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "-cp", classpath, "io.imagegate.Main"), env, data, LISTENING);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  private static String url(String path) { return "http://127.0.0.1:" + gateway.port() + path; }

  @Test
  void generate_urlFormat_keepsTheImageInTheBucketAndServesItExactly() throws Exception {
    Http.Answer answer = Http.postJson(url("/v1/images/generations"), MASTER_KEY,
        "{\"prompt\":\"a lighthouse at dusk\",\"quality\":\"low\",\"response_format\":\"url\"}");
    assertThat(answer.status()).as(answer.raw().body().length < 2000 ? new String(answer.raw().body()) : "").isEqualTo(200);
    String link = answer.json().at("/data/0/url").asText();
    assertThat(link).matches(Pattern.quote(url("/v1/images/files/")) + "[A-Za-z0-9_-]{22}\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}");

    Http.Answer image = Http.get(link, null);
    assertThat(image.status()).isEqualTo(200);
    assertThat(image.header("content-type")).isEqualTo("image/png");
    assertThat(image.header("content-length")).isEqualTo(Integer.toString(image.raw().body().length));
    assertThat(TestImages.decode(image.raw().body()).getWidth()).isEqualTo(1024);

    String name = link.substring(link.lastIndexOf('/') + 1).replaceAll("\\?expires=(\\d+)&.*", ".$1.png");
    S3Blobs blobs = new S3Blobs(s3.bucket(bucket, ImageStoreSettings.DEFAULT_PREFIX), 1000, Clock.systemUTC());
    try (ImageBlobs.Blob object = blobs.get(name)) {
      assertThat(object).as("object %s%s in the bucket", ImageStoreSettings.DEFAULT_PREFIX, name).isNotNull();
      assertThat(object.contentType()).isEqualTo("image/png");
      assertThat(object.body().readAllBytes()).isEqualTo(image.raw().body());
    }
    assertThat(data.resolve("images")).as("nothing kept in the data dir").doesNotExist();

    String tampered = link.replaceAll("signature=.", "signature=" + (link.contains("signature=A") ? "B" : "A"));
    assertError(Http.get(tampered, null), 403, "invalid_signature");
    assertError(Http.get(link.replaceAll("expires=(\\d+)", "expires=9$1"), null), 403, "invalid_signature");

    assertThat(blobs.delete(name)).isTrue();
    assertError(Http.get(link, null), 404, "not_found");
  }

  private static void assertError(Http.Answer answer, int status, String code) {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.error().get("code").asText()).isEqualTo(code);
    assertThat(answer.error().get("type").asText()).isEqualTo("invalid_request_error");
  }
}
