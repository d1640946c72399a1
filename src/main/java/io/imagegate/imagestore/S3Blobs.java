package io.imagegate.imagestore;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blobs as objects in an S3-compatible bucket, over the S3 REST API with Signature Version 4: PUT, GET
 * (streamed, never held in memory), DELETE and ListObjectsV2. Addressed path-style
 * ({@code endpoint/bucket/prefix+name}) so MinIO, Ceph, S3Proxy and AWS all work. The object's
 * {@code Content-Type} is stored with it and given back by {@link #get}. Requests are signed with the
 * SHA-256 of the body (PUT) or of nothing. Thread-safe.
 *
 * <p>Failures are {@link IOException}s whose message names the operation, the object and the bucket's own
 * error code and message ({@code 403 SignatureDoesNotMatch: …}); they never carry the credentials.
 */
final class S3Blobs implements ImageBlobs {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  private final String base;
  private final String host;
  private final String bucketPath;
  private final String bucket;
  private final String prefix;
  private final SigV4 sigv4;
  private final int pageSize;
  private final Clock clock;

  S3Blobs(ImageStoreSettings.Bucket bucket) { this(bucket, 1000, Clock.systemUTC()); }

  /**
   * @param pageSize keys per ListObjectsV2 page (1 to 1000)
   * @param clock the time requests are signed at; S3 refuses it more than 15 minutes off
   */
  S3Blobs(ImageStoreSettings.Bucket bucket, int pageSize, Clock clock) {
    if (pageSize < 1 || pageSize > 1000) throw new IllegalArgumentException("pageSize must be 1 to 1000");
    URI endpoint = bucket.endpoint();
    int port = endpoint.getPort();
    boolean defaultPort = port == -1 || port == ("https".equals(endpoint.getScheme()) ? 443 : 80);
    // what the JDK client sends as Host, which the signature must cover
    this.host = defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
    this.base = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
    this.bucketPath = (endpoint.getRawPath() == null ? "" : endpoint.getRawPath()) + "/" + SigV4.encode(bucket.name(), false);
    this.bucket = bucket.name();
    this.prefix = bucket.prefix();
    this.sigv4 = new SigV4(bucket.accessKeyId(), bucket.secretAccessKey(), bucket.sessionToken(), bucket.region());
    this.pageSize = pageSize;
    this.clock = clock;
  }

  @Override
  public void put(String name, byte[] bytes, String contentType) throws IOException {
    HttpResponse<byte[]> answer = send("PUT", name, Map.of(), Map.of("content-type", contentType), bytes,
        HttpResponse.BodyHandlers.ofByteArray());
    if (answer.statusCode() != 200) throw failure("PUT", name, answer.statusCode(), answer.body());
  }

  @Override
  public Blob get(String name) throws IOException {
    HttpResponse<InputStream> answer = send("GET", name, Map.of(), Map.of(), null, HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = answer.body();
    if (answer.statusCode() == 200) {
      return new Blob(body, answer.headers().firstValueAsLong("content-length").orElse(-1),
          answer.headers().firstValue("content-type").orElse(null));
    }
    byte[] error;
    try (body) {
      error = body.readNBytes(MAX_ERROR_BODY);
    }
    if (answer.statusCode() == 404 && !"NoSuchBucket".equals(S3Xml.error(error).code())) return null;
    throw failure("GET", name, answer.statusCode(), error);
  }

  /** True unless the bucket says 404; S3 itself answers 204 whether or not the object was there. */
  @Override
  public boolean delete(String name) throws IOException {
    HttpResponse<byte[]> answer = send("DELETE", name, Map.of(), Map.of(), null, HttpResponse.BodyHandlers.ofByteArray());
    if (answer.statusCode() == 204 || answer.statusCode() == 200) return true;
    if (answer.statusCode() == 404 && !"NoSuchBucket".equals(S3Xml.error(answer.body()).code())) return false;
    throw failure("DELETE", name, answer.statusCode(), answer.body());
  }

  /** Pages through ListObjectsV2 under the prefix; names are the keys with the prefix cut off. */
  @Override
  public void list(NameVisitor names) throws IOException {
    String token = null;
    do {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("list-type", "2");
      query.put("max-keys", Integer.toString(pageSize));
      query.put("prefix", SigV4.encode(prefix, false));
      if (token != null) query.put("continuation-token", SigV4.encode(token, false));
      HttpResponse<byte[]> answer = send("GET", null, query, Map.of(), null, HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) throw failure("LIST", null, answer.statusCode(), answer.body());
      S3Xml.Page page = S3Xml.page(answer.body());
      for (String key : page.keys()) {
        if (key.startsWith(prefix)) names.visit(key.substring(prefix.length()));
      }
      token = page.next();
    } while (token != null);
  }

  private <T> HttpResponse<T> send(String method, String name, Map<String, String> query, Map<String, String> headers,
      byte[] body, HttpResponse.BodyHandler<T> handler) throws IOException {
    String path = bucketPath + (name == null ? "" : "/" + SigV4.encode(prefix + name, true));
    String canonicalQuery = SigV4.canonicalQuery(query);
    URI uri = URI.create(base + path + (canonicalQuery.isEmpty() ? "" : "?" + canonicalQuery));
    String hash = SigV4.sha256Hex(body == null ? new byte[0] : body);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    sigv4.sign(method, host, path, query, headers, hash, clock.instant()).forEach(request::header);
    try {
      return http.send(request.build(), handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during S3 " + method + " " + where(name));
    } catch (IOException e) {
      throw new IOException("S3 " + method + " " + where(name) + " at " + base + " failed: " + e, e);
    }
  }

  private IOException failure(String operation, String name, int status, byte[] body) {
    S3Xml.Error error = S3Xml.error(body);
    return new IOException("S3 " + operation + " " + where(name) + " answered " + status
        + (error.code() == null ? "" : " " + error.code()) + (error.message() == null ? "" : ": " + error.message()));
  }

  private String where(String name) { return bucket + "/" + (name == null ? prefix : prefix + name); }

  @Override
  public String toString() { return "bucket " + base + bucketPath + " prefix " + prefix; }
}
