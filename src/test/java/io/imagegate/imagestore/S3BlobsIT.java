package io.imagegate.imagestore;

import io.imagegate.config.ImageStoreSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import io.imagegate.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link S3Blobs} and an {@link ImageStore} on it, against S3Proxy: a real server that checks every signature. */
class S3BlobsIT {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 4, 5, 6};
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

  @TempDir Path tmp;
  private final S3ProxyServer s3 = S3ProxyServer.shared();
  private String bucket;

  @BeforeEach
  void newBucket() { bucket = s3.createBucket(); }

  private S3Blobs blobs(String prefix, int pageSize) {
    return new S3Blobs(s3.bucket(bucket, prefix), pageSize, Clock.systemUTC());
  }

  @Test
  void putGetDelete_roundTripsBytesAndContentType() throws Exception {
    S3Blobs blobs = blobs("imagegate/images/", 1000);
    byte[] big = new byte[3 * 1024 * 1024 + 7];
    new Random(1).nextBytes(big);
    blobs.put("a.1.png", PNG, "image/png");
    blobs.put("b.1.webp", big, "image/webp");

    try (ImageBlobs.Blob blob = blobs.get("a.1.png")) {
      assertThat(blob.contentType()).isEqualTo("image/png");
      assertThat(blob.size()).isEqualTo(PNG.length);
      assertThat(blob.body().readAllBytes()).isEqualTo(PNG);
    }
    try (ImageBlobs.Blob blob = blobs.get("b.1.webp")) {
      assertThat(blob.contentType()).isEqualTo("image/webp");
      assertThat(blob.size()).isEqualTo(big.length);
      assertThat(blob.body().readAllBytes()).isEqualTo(big);
    }
    assertThat(blobs.delete("a.1.png")).isTrue();
    assertThat(blobs.get("a.1.png")).isNull();
    assertThat(blobs.get("never.1.png")).isNull();
  }

  @Test
  void list_pagesThroughContinuationTokens_andStaysInsideThePrefix() throws Exception {
    S3Blobs blobs = blobs("gw/images/", 2);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      names.add("img" + i + ".99.png");
      blobs.put(names.getLast(), PNG, "image/png");
    }
    blobs("gw/other/", 2).put("img9.99.png", PNG, "image/png");
    blobs("gw/images-not/", 2).put("img8.99.png", PNG, "image/png");

    List<String> listed = new ArrayList<>();
    blobs.list(listed::add);
    assertThat(listed).containsExactlyInAnyOrderElementsOf(names);
  }

  @Test
  void keysNeedingEncoding_areSignedAndListedAsSent() throws Exception {
    S3Blobs blobs = blobs("odd prefix/ü+&=/", 1);
    blobs.put("x y.1.png", PNG, "image/png");
    blobs.put("z~_-.1.png", PNG, "image/png");

    List<String> listed = new ArrayList<>();
    blobs.list(listed::add);
    assertThat(listed).containsExactlyInAnyOrder("x y.1.png", "z~_-.1.png");
    try (ImageBlobs.Blob blob = blobs.get("x y.1.png")) {
      assertThat(blob.body().readAllBytes()).isEqualTo(PNG);
    }
  }

  @Test
  void wrongSecret_isRefusedByTheBucket_andSaysWhy() {
    ImageStoreSettings.Bucket right = s3.bucket(bucket, "imagegate/images/");
    S3Blobs wrong = new S3Blobs(new ImageStoreSettings.Bucket(right.endpoint(), bucket, "us-east-1", right.prefix(),
        right.accessKeyId(), "not-the-secret", null), 1000, Clock.systemUTC());

    assertThatThrownBy(() -> wrong.put("a.1.png", PNG, "image/png")).isInstanceOf(IOException.class)
        .hasMessageContaining("S3 PUT " + bucket + "/imagegate/images/a.1.png answered 403 SignatureDoesNotMatch")
        .hasMessageNotContaining("not-the-secret").hasMessageNotContaining(S3ProxyServer.SECRET_KEY);
    assertThatThrownBy(() -> wrong.list(name -> {})).isInstanceOf(IOException.class).hasMessageContaining("403");
    ImageStore store = new ImageStore(wrong, KEY, Duration.ofHours(1), Clock.systemUTC());
    assertApiError(() -> store.save(PNG, "image/png"), 502, "image_store_error");
  }

  @Test
  void open_objectGone_is404_bucketGoneOrUnreachable_is502() throws Exception {
    S3Blobs blobs = blobs("imagegate/images/", 1000);
    ImageStore store = new ImageStore(blobs, KEY, Duration.ofHours(1), Clock.systemUTC());
    Url url = Url.parse(store.save(PNG, "image/png").path());
    try (ImageStore.Found found = store.open(url.id, url.expires, url.signature)) {
      assertThat(found.body().readAllBytes()).isEqualTo(PNG);
      assertThat(found.size()).isEqualTo(PNG.length);
    }
    assertThat(blobs.delete(url.id + "." + url.expires + ".png")).isTrue();
    assertApiError(() -> store.open(url.id, url.expires, url.signature), 404, "not_found");

    ImageStore noBucket = new ImageStore(new S3Blobs(s3.bucket("imagegate-no-such-bucket", "p/"), 1000,
        Clock.systemUTC()), KEY, Duration.ofHours(1), Clock.systemUTC());
    assertApiError(() -> noBucket.open(url.id, url.expires, url.signature), 502, "image_store_error");

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ImageStoreSettings.Bucket down = new ImageStoreSettings.Bucket(URI.create("http://127.0.0.1:" + closedPort), bucket,
        "us-east-1", "p/", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, null);
    ImageStore unreachable = new ImageStore(new S3Blobs(down, 1000, Clock.systemUTC()), KEY, Duration.ofHours(1),
        Clock.systemUTC());
    assertApiError(() -> unreachable.open(url.id, url.expires, url.signature), 502, "image_store_error");
    assertThatThrownBy(unreachable::purgeExpired).hasMessageContaining("S3 GET " + bucket + "/p/ at http://127.0.0.1:"
        + closedPort + " failed");
  }

  @Test
  void purgeExpired_deletesOnlyObjectsPastExpiryAndGrace() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    S3Blobs blobs = blobs("imagegate/images/", 2); // requests are signed with the real time, whatever the store's clock
    ImageStore store = new ImageStore(blobs, KEY, Duration.ofHours(1), clock);
    List<Url> old = new ArrayList<>();
    for (int i = 0; i < 3; i++) old.add(Url.parse(store.save(PNG, "image/jpeg").path()));
    clock.advance(Duration.ofMinutes(50));
    Url young = Url.parse(store.save(PNG, "image/webp").path());
    blobs.put("notes.txt", PNG, "text/plain");
    clock.advance(Duration.ofMinutes(12)); // the old ones expired 2 minutes ago: still inside the grace
    assertThat(store.purgeExpired()).isZero();
    clock.advance(Duration.ofMinutes(4));

    assertThat(store.purgeExpired()).isEqualTo(3);
    List<String> left = new ArrayList<>();
    blobs.list(left::add);
    assertThat(left).containsExactlyInAnyOrder(young.id + "." + young.expires + ".webp", "notes.txt");
    try (ImageStore.Found found = store.open(young.id, young.expires, young.signature)) {
      assertThat(found.contentType()).isEqualTo("image/webp");
    }
    assertApiError(() -> store.open(old.getFirst().id, old.getFirst().expires, old.getFirst().signature), 410, "expired");
  }

  @Test
  void create_twoInstancesOnOneBucketWithOneSigningKey_serveEachOthersImages() throws Exception {
    Map<String, String> env = new HashMap<>(s3.environment(bucket));
    env.put("IMAGEGATE_URL_SIGNING_KEY", "c2hhcmVkLXNpZ25pbmcta2V5LWZvci10ZXN0cw==");
    ImageStore one = ImageStore.create(ImageStoreSettings.fromEnvironment(env), tmp.resolve("one"),
        Duration.ofHours(1), Clock.systemUTC());
    ImageStore two = ImageStore.create(ImageStoreSettings.fromEnvironment(env), tmp.resolve("two"),
        Duration.ofHours(1), Clock.systemUTC());

    Url url = Url.parse(one.save(PNG, "image/png").path());
    try (ImageStore.Found found = two.open(url.id, url.expires, url.signature)) {
      assertThat(found.body().readAllBytes()).isEqualTo(PNG);
    }
    try (ImageBlobs.Blob blob = blobs(ImageStoreSettings.DEFAULT_PREFIX, 1000).get(url.id + "." + url.expires + ".png")) {
      assertThat(blob.contentType()).isEqualTo("image/png");
    }
    assertThat(tmp.resolve("one/images")).doesNotExist();
    assertThat(tmp.resolve("one/url-signing.key")).doesNotExist();
  }

  private static void assertApiError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(status);
      assertThat(e.code()).isEqualTo(code);
    });
  }

  /** The parts of a signed relative URL. */
  record Url(String id, String expires, String signature) {
    static Url parse(String path) {
      String[] pathAndQuery = path.split("\\?", 2);
      Map<String, String> query = new HashMap<>();
      for (String pair : pathAndQuery[1].split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], kv[1]);
      }
      return new Url(pathAndQuery[0].substring("/v1/images/files/".length()), query.get("expires"), query.get("signature"));
    }
  }
}
