package io.imagegate.imagestore;

import io.imagegate.config.ImageStoreSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A real S3-compatible server for tests: S3Proxy (Maven Central {@code org.gaul:s3proxy}, copied by the build
 * to {@code <build dir>/s3proxy/s3proxy.jar}) in a child JVM on 127.0.0.1, with an in-memory blob store and
 * SigV2/SigV4 authorization on, so it checks every signature. One per test JVM, started on first use and
 * stopped when the JVM exits; tests keep apart by bucket.
 */
final class S3ProxyServer {
  static final String ACCESS_KEY = "imagegate-test";
  static final String SECRET_KEY = "s3proxy-secret-key-for-tests";
  private static final Pattern LISTENING = Pattern.compile("ServerConnector@.*\\{127\\.0\\.0\\.1:(\\d+)}");
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3ProxyServer shared;

  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private S3ProxyServer(URI endpoint) { this.endpoint = endpoint; }

  /** The JVM's server, started on the first call (about two seconds). */
  static synchronized S3ProxyServer shared() {
    if (shared == null) shared = start();
    return shared;
  }

  URI endpoint() { return endpoint; }

  /** A new empty bucket, named uniquely for this JVM. */
  String createBucket() {
    String name = "imagegate-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    String path = "/" + name;
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).PUT(HttpRequest.BodyPublishers.noBody());
    new SigV4(ACCESS_KEY, SECRET_KEY, null, "us-east-1").sign("PUT", endpoint.getAuthority(), path, Map.of(), Map.of(),
        SigV4.EMPTY_SHA256, Instant.now()).forEach(request::header);
    try {
      HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) throw new IllegalStateException("S3Proxy refused to create " + name + ": " + answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return name;
  }

  /** The settings of {@code bucket} on this server, with the right credentials. */
  ImageStoreSettings.Bucket bucket(String bucket, String prefix) {
    return new ImageStoreSettings.Bucket(endpoint, bucket, "us-east-1", prefix, ACCESS_KEY, SECRET_KEY, null);
  }

  /** The environment that points a gateway at {@code bucket} on this server. */
  Map<String, String> environment(String bucket) {
    return Map.of("IMAGEGATE_IMAGE_STORE", "s3", "IMAGEGATE_S3_ENDPOINT", endpoint.toString(),
        "IMAGEGATE_S3_BUCKET", bucket, "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
  }

  private static S3ProxyServer start() {
    Path jar = ChildJvm.buildDir().resolve("s3proxy/s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the build copies it in generate-test-resources"
          + " (./mvnw -Dbuild.dir=... test-compile)");
    }
    try {
      Path dir = Files.createTempDirectory("s3proxy");
      Path properties = Files.writeString(dir.resolve("s3proxy.properties"), String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:0", "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + ACCESS_KEY, "s3proxy.credential=" + SECRET_KEY,
          "jclouds.provider=transient", "jclouds.identity=unused", "jclouds.credential=unused", ""));
      ChildJvm child = ChildJvm.start(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-jar", jar.toString(),
          "--properties", properties.toString()), Map.of("LOG_LEVEL", "info"), dir, LISTENING);
      return new S3ProxyServer(URI.create("http://127.0.0.1:" + child.port()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Proxy", e);
    }
  }
}
