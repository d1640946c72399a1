package io.imagegate.imagestore;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for S3 requests signed in the {@code Authorization} header, payload in a single
 * chunk. Stateless apart from the credentials; thread-safe.
 *
 * <p>Implementation notes: the canonical request is {@code method \n path \n query \n headers \n
 * signed-header-names \n payload-hash}, with the path and query already URI-encoded by {@link #encode} (S3
 * does not encode the path a second time), query parameters sorted by name, header names lower-cased,
 * values trimmed and sorted by name. The string to sign hashes it under the scope
 * {@code date/region/s3/aws4_request}, and the signing key is the HMAC chain of {@code "AWS4" + secret}
 * over date, region, {@code s3} and {@code aws4_request}.
 */
final class SigV4 {
  static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private final String accessKeyId;
  private final byte[] secret;
  private final String sessionToken;
  private final String region;

  /** @param sessionToken null unless the credentials are temporary ones (sent as {@code x-amz-security-token}) */
  SigV4(String accessKeyId, String secretAccessKey, String sessionToken, String region) {
    this.accessKeyId = accessKeyId;
    this.secret = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
    this.sessionToken = sessionToken;
    this.region = region;
  }

  /**
   * The headers to send with a request: the given ones plus {@code x-amz-date}, {@code x-amz-content-sha256},
   * {@code x-amz-security-token} (with temporary credentials) and {@code Authorization}. All of them except
   * {@code Authorization} are signed, together with {@code host}.
   *
   * @param host the {@code Host} header the HTTP client will send ({@code name} or {@code name:port})
   * @param path the encoded absolute path, e.g. {@code /bucket/images/a.png}
   * @param query the encoded query parameters by name (empty for none), in any order
   * @param headers more headers to sign, e.g. {@code content-type}
   * @param payloadSha256 lower-case hex SHA-256 of the body, or {@code UNSIGNED-PAYLOAD}
   */
  Map<String, String> sign(String method, String host, String path, Map<String, String> query,
      Map<String, String> headers, String payloadSha256, Instant now) {
    String amzDate = STAMP.format(now);
    String date = amzDate.substring(0, 8);
    TreeMap<String, String> signed = new TreeMap<>();
    headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value.trim()));
    signed.put("host", host);
    signed.put("x-amz-content-sha256", payloadSha256);
    signed.put("x-amz-date", amzDate);
    if (sessionToken != null) signed.put("x-amz-security-token", sessionToken);
    String names = String.join(";", signed.keySet());
    String canonical = method + "\n" + path + "\n" + canonicalQuery(query) + "\n"
        + signed.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue() + "\n").collect(Collectors.joining())
        + "\n" + names + "\n" + payloadSha256;
    String scope = date + "/" + region + "/s3/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(hmac(hmac(hmac(secret, date), region), "s3"), "aws4_request");
    String signature = HEX.formatHex(hmac(key, toSign));
    TreeMap<String, String> out = new TreeMap<>(signed);
    out.remove("host"); // the HTTP client sends Host itself and refuses to be given one
    out.put("authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + names
        + ", Signature=" + signature);
    return out;
  }

  /** URI-encodes as S3 wants it: every byte but {@code A-Za-z0-9-._~} as {@code %XX}; {@code /} kept when asked. */
  static String encode(String s, boolean keepSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '~' || (keepSlash && c == '/')) {
        out.append(c);
      } else {
        out.append('%').append(HEX.withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** {@code name=value&…} sorted by name; names and values are already encoded. */
  static String canonicalQuery(Map<String, String> query) {
    return new TreeMap<>(query).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("&"));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() { return "SigV4[accessKeyId=" + accessKeyId + ", region=" + region + ", secret=***]"; }
}
