package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageStoreSettingsTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private static Map<String, String> s3(String... more) {
    Map<String, String> env = new HashMap<>(Map.of("IMAGEGATE_IMAGE_STORE", "s3", "IMAGEGATE_S3_BUCKET", "pictures",
        "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY", SECRET));
    for (int i = 0; i < more.length; i += 2) {
      if (more[i + 1] == null) env.remove(more[i]);
      else env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void fromEnvironment_nothingSet_isTheDirectoryWithTheKeyFile() {
    ImageStoreSettings settings = ImageStoreSettings.fromEnvironment(Map.of());
    assertThat(settings.bucket()).isNull();
    assertThat(settings.urlSigningKey()).isNull();
    assertThat(ImageStoreSettings.fromEnvironment(Map.of("IMAGEGATE_IMAGE_STORE", "dir")).bucket()).isNull();
    assertThat(ImageStoreSettings.fromEnvironment(s3("IMAGEGATE_IMAGE_STORE", "S3")).bucket()).isNotNull();
  }

  @Test
  void fromEnvironment_s3WithOnlyBucketAndKeys_usesTheDefaults() {
    ImageStoreSettings.Bucket bucket = ImageStoreSettings.fromEnvironment(s3()).bucket();
    assertThat(bucket.name()).isEqualTo("pictures");
    assertThat(bucket.region()).isEqualTo("us-east-1");
    assertThat(bucket.endpoint()).isEqualTo(URI.create("https://s3.us-east-1.amazonaws.com"));
    assertThat(bucket.prefix()).isEqualTo("imagegate/images/");
    assertThat(bucket.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    assertThat(bucket.secretAccessKey()).isEqualTo(SECRET);
    assertThat(bucket.sessionToken()).isNull();
  }

  @Test
  void fromEnvironment_s3WithEverything_takesItAll() {
    ImageStoreSettings.Bucket bucket = ImageStoreSettings.fromEnvironment(s3("IMAGEGATE_S3_ENDPOINT",
        "http://127.0.0.1:9000/", "IMAGEGATE_S3_REGION", "eu-west-3", "IMAGEGATE_S3_PREFIX", "/gw/img",
        "AWS_SESSION_TOKEN", "FwoGZXIvYXdz")).bucket();
    assertThat(bucket.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(bucket.region()).isEqualTo("eu-west-3");
    assertThat(bucket.prefix()).isEqualTo("gw/img/");
    assertThat(bucket.sessionToken()).isEqualTo("FwoGZXIvYXdz");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "IMAGEGATE_IMAGE_STORE | S3-bucket  | IMAGEGATE_IMAGE_STORE must be 'dir' or 's3'",
      "IMAGEGATE_S3_BUCKET   |            | IMAGEGATE_IMAGE_STORE=s3 needs IMAGEGATE_S3_BUCKET",
      "IMAGEGATE_S3_BUCKET   | a/b        | IMAGEGATE_S3_BUCKET 'a/b' is not a bucket name",
      "IMAGEGATE_S3_ENDPOINT | ftp://x    | IMAGEGATE_S3_ENDPOINT must be an http(s) URL",
      "IMAGEGATE_S3_ENDPOINT | http://x?y | IMAGEGATE_S3_ENDPOINT must be an http(s) URL",
      "IMAGEGATE_S3_ENDPOINT | http://a b | IMAGEGATE_S3_ENDPOINT 'http://a b' is not a URL",
      "IMAGEGATE_S3_REGION   | US EAST    | IMAGEGATE_S3_REGION 'US EAST' is not a region name",
      "IMAGEGATE_S3_PREFIX   | a//b       | IMAGEGATE_S3_PREFIX 'a//b' has an empty path segment",
      "AWS_ACCESS_KEY_ID     |            | needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (missing: AWS_ACCESS_KEY_ID)",
      "AWS_SECRET_ACCESS_KEY |            | (missing: AWS_SECRET_ACCESS_KEY)",
  })
  void fromEnvironment_wrongOrMissing_namesTheVariable(String name, String value, String message) {
    assertThatThrownBy(() -> ImageStoreSettings.fromEnvironment(s3(name, value)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void fromEnvironment_signingKey_inHexOrBase64() {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) key[i] = (byte) (i * 37);
    String hex = java.util.HexFormat.of().formatHex(key);
    assertThat(settingsWithKey(hex).urlSigningKey()).isEqualTo(key);
    assertThat(settingsWithKey(hex.toUpperCase()).urlSigningKey()).isEqualTo(key);
    assertThat(settingsWithKey(Base64.getEncoder().encodeToString(key)).urlSigningKey()).isEqualTo(key);
    assertThat(settingsWithKey(Base64.getUrlEncoder().withoutPadding().encodeToString(key)).urlSigningKey()).isEqualTo(key);
  }

  @Test
  void fromEnvironment_signingKeyTooShortOrGarbled_isRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> settingsWithKey("00112233445566778899aabbccddee")) // 15 bytes
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IMAGEGATE_URL_SIGNING_KEY")
        .hasMessageContaining("at least 16 bytes, not 15").hasMessageNotContaining("00112233");
    assertThatThrownBy(() -> settingsWithKey("not a key at all!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("IMAGEGATE_URL_SIGNING_KEY is neither hex nor base64");
  }

  @Test
  void toString_hidesSecretTokenAndSigningKey() {
    ImageStoreSettings settings = ImageStoreSettings.fromEnvironment(s3("AWS_SESSION_TOKEN", "FwoGZXIvYXdzSESSION",
        "IMAGEGATE_URL_SIGNING_KEY", "ab".repeat(32)));
    assertThat(settings.toString()).contains("pictures").contains("AKIAIOSFODNN7EXAMPLE")
        .doesNotContain(SECRET).doesNotContain("EXAMPLEKEY").doesNotContain("SESSION").doesNotContain("abab");
    assertThat(settings.bucket().toString()).doesNotContain(SECRET).doesNotContain("SESSION");
  }

  private static ImageStoreSettings settingsWithKey(String key) {
    return ImageStoreSettings.fromEnvironment(Map.of("IMAGEGATE_URL_SIGNING_KEY", key));
  }
}
