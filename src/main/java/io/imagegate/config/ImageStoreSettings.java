package io.imagegate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the image store keeps images and which key signs their URLs, read from the environment:
 * <ul>
 *   <li>{@code IMAGEGATE_IMAGE_STORE}: {@code dir} (default: the data dir's {@code images/}) or {@code s3}</li>
 *   <li>with {@code s3}: {@code IMAGEGATE_S3_BUCKET} (required), {@code IMAGEGATE_S3_ENDPOINT} (default
 *       {@code https://s3.<region>.amazonaws.com}; addressed path-style, {@code endpoint/bucket/key}, so MinIO,
 *       Ceph and the like work), {@code IMAGEGATE_S3_REGION} (default {@code us-east-1}),
 *       {@code IMAGEGATE_S3_PREFIX} (default {@code imagegate/images/}), and the credentials the AWS way:
 *       {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, optionally {@code AWS_SESSION_TOKEN}</li>
 *   <li>{@code IMAGEGATE_URL_SIGNING_KEY}: optional, hex or base64, at least 16 bytes; without it the key
 *       comes from the data dir's {@code url-signing.key}. Instances that share a bucket must share the key,
 *       through this variable or the same key file.</li>
 * </ul>
 *
 * @param bucket the S3 bucket, or null for the directory store
 * @param urlSigningKey the key from {@code IMAGEGATE_URL_SIGNING_KEY}, or null to use the key file
 */
public record ImageStoreSettings(Bucket bucket, byte[] urlSigningKey) {
  public static final String DEFAULT_PREFIX = "imagegate/images/";

  /**
   * An S3-compatible bucket. {@link #toString} shows no secret.
   *
   * @param endpoint http(s) base URL, without a trailing slash
   * @param prefix the start of every object key, empty or ending in {@code /}
   * @param sessionToken null unless the credentials are temporary
   */
  public record Bucket(URI endpoint, String name, String region, String prefix, String accessKeyId,
      String secretAccessKey, String sessionToken) {
    public Bucket {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
      return "Bucket[endpoint=" + endpoint + ", name=" + name + ", region=" + region + ", prefix=" + prefix
          + ", accessKeyId=" + accessKeyId + ", secretAccessKey=***, sessionToken="
          + (sessionToken == null ? "null" : "***") + "]";
    }
  }

  public ImageStoreSettings {
    if (urlSigningKey != null) {
      if (urlSigningKey.length < 16) throw new IllegalArgumentException("the URL signing key must be at least 16 bytes");
      urlSigningKey = urlSigningKey.clone();
    }
  }

  /** The key from {@code IMAGEGATE_URL_SIGNING_KEY} (a copy), or null. */
  @Override
  public byte[] urlSigningKey() { return urlSigningKey == null ? null : urlSigningKey.clone(); }

  /**
   * Reads the settings described above.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  public static ImageStoreSettings fromEnvironment(Map<String, String> env) {
    byte[] key = signingKey(get(env, "IMAGEGATE_URL_SIGNING_KEY"));
    String store = get(env, "IMAGEGATE_IMAGE_STORE");
    if (store == null || store.equalsIgnoreCase("dir")) return new ImageStoreSettings(null, key);
    if (!store.equalsIgnoreCase("s3")) {
      throw new IllegalArgumentException("IMAGEGATE_IMAGE_STORE must be 'dir' or 's3', not '" + store + "'");
    }
    String bucket = get(env, "IMAGEGATE_S3_BUCKET");
    if (bucket == null) throw new IllegalArgumentException("IMAGEGATE_IMAGE_STORE=s3 needs IMAGEGATE_S3_BUCKET");
    if (!bucket.matches("[A-Za-z0-9._-]{1,255}")) {
      throw new IllegalArgumentException("IMAGEGATE_S3_BUCKET '" + bucket + "' is not a bucket name (letters,"
          + " digits, '.', '-', '_')");
    }
    String region = Objects.requireNonNullElse(get(env, "IMAGEGATE_S3_REGION"), "us-east-1");
    if (!region.matches("[a-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("IMAGEGATE_S3_REGION '" + region + "' is not a region name (e.g. us-east-1)");
    }
    String endpoint = Objects.requireNonNullElse(get(env, "IMAGEGATE_S3_ENDPOINT"), "https://s3." + region + ".amazonaws.com");
    String accessKey = get(env, "AWS_ACCESS_KEY_ID");
    String secret = get(env, "AWS_SECRET_ACCESS_KEY");
    if (accessKey == null || secret == null) {
      throw new IllegalArgumentException("IMAGEGATE_IMAGE_STORE=s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
          + " (missing: " + (accessKey == null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + ")");
    }
    return new ImageStoreSettings(new Bucket(endpoint(endpoint), bucket, region,
        prefix(Objects.requireNonNullElse(get(env, "IMAGEGATE_S3_PREFIX"), DEFAULT_PREFIX)), accessKey, secret,
        get(env, "AWS_SESSION_TOKEN")), key);
  }

  private static URI endpoint(String raw) {
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("IMAGEGATE_S3_ENDPOINT '" + raw + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("IMAGEGATE_S3_ENDPOINT must be an http(s) URL with a host and no query,"
          + " e.g. http://127.0.0.1:9000, not '" + raw + "'");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  private static String prefix(String raw) {
    String p = raw.replaceAll("^/+", "");
    if (p.contains("//") || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("IMAGEGATE_S3_PREFIX '" + raw + "' has an empty path segment or a control"
          + " character");
    }
    return p.isEmpty() || p.endsWith("/") ? p : p + "/";
  }

  /** Hex when it is only hex digits (an even number of them), else base64 (standard or URL-safe). */
  private static byte[] signingKey(String raw) {
    if (raw == null) return null;
    byte[] key;
    if (raw.matches("(?:[0-9a-fA-F]{2})+")) {
      key = HexFormat.of().parseHex(raw);
    } else {
      try {
        key = (raw.contains("-") || raw.contains("_") ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(raw);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("IMAGEGATE_URL_SIGNING_KEY is neither hex nor base64");
      }
    }
    if (key.length < 16) {
      throw new IllegalArgumentException("IMAGEGATE_URL_SIGNING_KEY must decode to at least 16 bytes, not "
          + key.length + " (make one with: openssl rand -hex 32)");
    }
    return key;
  }

  private static String get(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  @Override
  public String toString() {
    return "ImageStoreSettings[bucket=" + bucket + ", urlSigningKey=" + (urlSigningKey == null ? "null" : "***") + "]";
  }
}
