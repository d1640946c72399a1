package io.imagegate.imagestore;

import io.imagegate.config.ImageStoreSettings;
import io.imagegate.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageStoreTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path tmp;
  private MutableClock clock;
  private ImageStore store;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(START);
    store = new ImageStore(tmp.resolve("images"), key(7), Duration.ofHours(1), clock);
  }

  @Test
  void save_thenOpen_givesBackTheBytesAndContentType() throws Exception {
    ImageStore.StoredImage saved = store.save(PNG, "image/png");
    Url url = Url.parse(saved.path());

    try (ImageStore.Found found = store.open(url.id, url.expires, url.signature)) {
      assertThat(found.contentType()).isEqualTo("image/png");
      assertThat(found.size()).isEqualTo(PNG.length);
      assertThat(found.body().readAllBytes()).isEqualTo(PNG);
    }
    assertThat(Files.readAllBytes(tmp.resolve("images/" + url.id + "." + url.expires + ".png"))).isEqualTo(PNG);
  }

  @Test
  void save_signsARelativeUrlThatExpiresAfterTheTtl() {
    ImageStore.StoredImage saved = store.save(PNG, "image/png");
    assertThat(saved.id()).matches("[A-Za-z0-9_-]{22}");
    assertThat(saved.path()).matches("/v1/images/files/" + saved.id() + "\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}");
    assertThat(saved.expiresAt()).isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(Url.parse(saved.path()).expires).isEqualTo(Long.toString(saved.expiresAt().getEpochSecond()));
    assertThat(store.save(PNG, "image/png").id()).isNotEqualTo(saved.id());
  }

  @ParameterizedTest
  @ValueSource(strings = {"image/jpeg", "image/webp"})
  void save_otherFormats_keepTheirContentType(String type) {
    Url url = Url.parse(store.save(PNG, type).path());
    assertThat(closed(store.open(url.id, url.expires, url.signature)).contentType()).isEqualTo(type);
  }

  @ParameterizedTest
  @ValueSource(strings = {"image/gif", "text/html", "IMAGE/PNG", ""})
  void save_otherContentTypes_areRefused(String type) {
    assertThatThrownBy(() -> store.save(PNG, type)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void open_tamperedSignatureExpiresOrId_is403() {
    Url url = Url.parse(store.save(PNG, "image/png").path());
    Url other = Url.parse(store.save(PNG, "image/png").path());
    String flipped = (url.signature.charAt(0) == 'A' ? "B" : "A") + url.signature.substring(1);

    assertStatus(() -> store.open(url.id, url.expires, flipped), 403, "invalid_signature");
    assertStatus(() -> store.open(url.id, Long.toString(Long.parseLong(url.expires) + 3600), url.signature), 403, "invalid_signature");
    assertStatus(() -> store.open(other.id, url.expires, url.signature), 403, "invalid_signature");
    assertStatus(() -> store.open(url.id, url.expires, null), 403, "invalid_signature");
    assertStatus(() -> store.open(url.id, null, url.signature), 403, "invalid_signature");
    assertStatus(() -> store.open(url.id, url.expires, "not base64!"), 403, "invalid_signature");
    assertStatus(() -> store.open(url.id, "-1", url.signature), 403, "invalid_signature");
  }

  @Test
  void open_withAnotherKey_is403() {
    Url url = Url.parse(store.save(PNG, "image/png").path());
    ImageStore otherKey = new ImageStore(tmp.resolve("images"), key(8), Duration.ofHours(1), clock);
    assertStatus(() -> otherKey.open(url.id, url.expires, url.signature), 403, "invalid_signature");
  }

  @Test
  void open_afterExpiry_is410() {
    Url url = Url.parse(store.save(PNG, "image/png").path());
    clock.advance(Duration.ofMinutes(59));
    assertThat(closed(store.open(url.id, url.expires, url.signature)).size()).isEqualTo(PNG.length);
    clock.advance(Duration.ofMinutes(1));
    assertStatus(() -> store.open(url.id, url.expires, url.signature), 410, "expired");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../images/x", "..", "a/b", "a\\b", "a.b", "%2e%2e", "", "x\u0000"})
  void open_idOutsideTheAlphabet_isRefusedWithoutTouchingTheDisk(String id) {
    assertStatus(() -> store.open(id, "9999999999", "AAAA"), 404, "not_found");
  }

  @Test
  void open_fileGone_is404() throws Exception {
    ImageStore.StoredImage saved = store.save(PNG, "image/png");
    Url url = Url.parse(saved.path());
    Files.delete(tmp.resolve("images/" + url.id + "." + url.expires + ".png"));
    assertStatus(() -> store.open(url.id, url.expires, url.signature), 404, "not_found");
  }

  @Test
  void purgeExpired_deletesOnlyFilesPastExpiryAndGrace() throws Exception {
    Url old = Url.parse(store.save(PNG, "image/png").path());
    clock.advance(Duration.ofMinutes(50));
    Url young = Url.parse(store.save(PNG, "image/webp").path());
    clock.advance(Duration.ofMinutes(12));   // old expired 2 min ago: still inside the grace
    assertThat(store.purgeExpired()).isZero();
    clock.advance(Duration.ofMinutes(4));    // old expired 6 min ago
    Files.writeString(tmp.resolve("images/notes.txt"), "not ours");

    assertThat(store.purgeExpired()).isEqualTo(1);
    try (var files = Files.list(tmp.resolve("images"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(young.id + "." + young.expires + ".webp", "notes.txt");
    }
    assertThat(closed(store.open(young.id, young.expires, young.signature)).contentType()).isEqualTo("image/webp");
    assertThat(old.id).isNotEqualTo(young.id);
  }

  @Test
  void loadOrCreateKey_makesAPrivate32ByteKeyOnceAndReusesIt() throws Exception {
    Path file = tmp.resolve("data/url-signing.key");
    byte[] first = ImageStore.loadOrCreateKey(file);
    byte[] second = ImageStore.loadOrCreateKey(file);

    assertThat(first).hasSize(32).isEqualTo(second).isEqualTo(Files.readAllBytes(file));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
    // A restarted gateway with the reloaded key honours URLs signed before.
    Url url = Url.parse(new ImageStore(tmp.resolve("images"), first, Duration.ofHours(1), clock).save(PNG, "image/png").path());
    ImageStore restarted = new ImageStore(tmp.resolve("images"), ImageStore.loadOrCreateKey(file), Duration.ofHours(1), clock);
    assertThat(closed(restarted.open(url.id, url.expires, url.signature)).size()).isEqualTo(PNG.length);
  }

  @Test
  void loadOrCreateKey_refusesAFileOfTheWrongLength() throws Exception {
    Path file = Files.write(tmp.resolve("short.key"), new byte[5]);
    assertThatThrownBy(() -> ImageStore.loadOrCreateKey(file)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("5 bytes");
  }

  @Test
  void open_storeFails_is502WithoutDetails() {
    FakeBlobs blobs = new FakeBlobs();
    ImageStore failing = new ImageStore(blobs, key(7), Duration.ofHours(1), clock);
    Url url = Url.parse(failing.save(PNG, "image/png").path());
    blobs.broken = true;

    assertThatThrownBy(() -> failing.open(url.id, url.expires, url.signature)).isInstanceOfSatisfying(ApiException.class,
        e -> {
          assertThat(e.status()).isEqualTo(502);
          assertThat(e.type()).isEqualTo("server_error");
          assertThat(e.code()).isEqualTo("image_store_error");
          assertThat(e.getMessage()).doesNotContain("fake store");
        });
    assertThatThrownBy(() -> failing.save(PNG, "image/png")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(502));
    assertThatThrownBy(failing::purgeExpired).isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("fake store is broken");
  }

  @Test
  void create_withoutBucket_keepsFilesInTheDataDirSignedWithTheKeyFile() throws Exception {
    Path data = tmp.resolve("data");
    ImageStore created = ImageStore.create(ImageStoreSettings.fromEnvironment(Map.of()), data, Duration.ofHours(1), clock);
    Url url = Url.parse(created.save(PNG, "image/png").path());

    assertThat(data.resolve("images/" + url.id + "." + url.expires + ".png")).hasBinaryContent(PNG);
    ImageStore sameKey = new ImageStore(data.resolve("images"), ImageStore.loadOrCreateKey(data.resolve("url-signing.key")),
        Duration.ofHours(1), clock);
    assertThat(closed(sameKey.open(url.id, url.expires, url.signature)).size()).isEqualTo(PNG.length);
  }

  @Test
  void create_withUrlSigningKey_signsWithItInsteadOfTheKeyFile() {
    Map<String, String> env = Map.of("IMAGEGATE_URL_SIGNING_KEY", "07".repeat(32));
    ImageStore one = ImageStore.create(ImageStoreSettings.fromEnvironment(env), tmp.resolve("one"), Duration.ofHours(1), clock);
    Url url = Url.parse(one.save(PNG, "image/png").path());

    // another instance on the same images with the same variable: the URL works there too
    ImageStore two = new ImageStore(tmp.resolve("one/images"), key(7), Duration.ofHours(1), clock);
    assertThat(closed(two.open(url.id, url.expires, url.signature)).size()).isEqualTo(PNG.length);
    assertThat(tmp.resolve("one/url-signing.key")).doesNotExist();
  }

  /** Closes what {@code open} opened; its content type and size stay readable. */
  private static ImageStore.Found closed(ImageStore.Found found) {
    try {
      found.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return found;
  }

  private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(status);
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.type()).isEqualTo("invalid_request_error");
    });
  }

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) seed);
    return key;
  }

  /** The parts of a signed relative URL. */
  private record Url(String id, String expires, String signature) {
    static Url parse(String path) {
      String[] pathAndQuery = path.split("\\?", 2);
      Map<String, String> query = new LinkedHashMap<>();
      for (String pair : pathAndQuery[1].split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], kv[1]);
      }
      return new Url(pathAndQuery[0].substring("/v1/images/files/".length()), query.get("expires"), query.get("signature"));
    }
  }
}
