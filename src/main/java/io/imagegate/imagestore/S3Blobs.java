package io.imagegate.imagestore;

import io.imagegate.config.ImageStoreSettings;
import io.imagegate.http.Http1Client;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
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
  /** A ListObjectsV2 page of 1000 keys is about 250 KB of XML. */
  private static final int MAX_LIST_BODY = 8 * 1024 * 1024;

  /** A bucket that stops sending for {@link #TIMEOUT} in the middle of an answer fails the read (and the download). */
  private final Http1Client http = new Http1Client(Duration.ofSeconds(5), TIMEOUT);
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
    Answer answer = whole(send("PUT", name, Map.of(), Map.of("content-type", contentType), bytes), MAX_ERROR_BODY);
    if (answer.status() != 200) throw failure("PUT", name, answer.status(), answer.body());
  }

  @Override
  public Blob get(String name) throws IOException {
    Http1Client.Response answer = send("GET", name, Map.of(), Map.of(), null);
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
    Answer answer = whole(send("DELETE", name, Map.of(), Map.of(), null), MAX_ERROR_BODY);
    if (answer.status() == 204 || answer.status() == 200) return true;
    if (answer.status() == 404 && !"NoSuchBucket".equals(S3Xml.error(answer.body()).code())) return false;
    throw failure("DELETE", name, answer.status(), answer.body());
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
      Answer answer = whole(send("GET", null, query, Map.of(), null), MAX_LIST_BODY);
      if (answer.status() != 200) throw failure("LIST", null, answer.status(), answer.body());
      S3Xml.Page page = S3Xml.page(answer.body());
      for (String key : page.keys()) {
        if (key.startsWith(prefix)) names.visit(key.substring(prefix.length()));
      }
      token = page.next();
    } while (token != null);
  }

  /** A status and a body read whole (up to a bound). */
  private record Answer(int status, byte[] body) {}

  private Answer whole(Http1Client.Response response, int max) throws IOException {
    try (InputStream in = response.body()) {
      byte[] body = in.readNBytes(max);
      if (in.read() >= 0) throw new IOException("the bucket's answer is larger than " + max + " bytes");
      return new Answer(response.statusCode(), body);
    }
  }

  private Http1Client.Response send(String method, String name, Map<String, String> query,
      Map<String, String> headers, byte[] body) throws IOException {
    String path = bucketPath + (name == null ? "" : "/" + SigV4.encode(prefix + name, true));
    String canonicalQuery = SigV4.canonicalQuery(query);
    URI uri = URI.create(base + path + (canonicalQuery.isEmpty() ? "" : "?" + canonicalQuery));
    String hash = SigV4.sha256Hex(body == null ? new byte[0] : body);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    sigv4.sign(method, host, path, query, headers, hash, clock.instant()).forEach(request::header);
    try {
      return http.send(request.build());
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
