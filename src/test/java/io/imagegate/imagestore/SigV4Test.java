package io.imagegate.imagestore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples of the AWS S3 documentation, "Signature Calculations for the Authorization Header: Transferring
 * Payload in a Single Chunk (AWS Signature Version 4)": same credentials, same requests, same signatures.
 */
class SigV4Test {
  private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String HOST = "examplebucket.s3.amazonaws.com";
  private static final Instant WHEN = Instant.parse("2013-05-24T00:00:00Z");
  private final SigV4 sigv4 = new SigV4(ACCESS_KEY, SECRET, null, "us-east-1");

  @Test
  void sign_getObjectExample_matchesTheDocumentedSignature() {
    Map<String, String> headers = sigv4.sign("GET", HOST, "/test.txt", Map.of(), Map.of("Range", "bytes=0-9"),
        SigV4.EMPTY_SHA256, WHEN);

    assertThat(headers.get("authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
        + "us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    assertThat(headers).containsEntry("x-amz-date", "20130524T000000Z")
        .containsEntry("x-amz-content-sha256", SigV4.EMPTY_SHA256).containsEntry("range", "bytes=0-9")
        .doesNotContainKey("host");
  }

  @Test
  void sign_putObjectExample_encodesThePathAndHashesThePayload() {
    byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);
    String hash = SigV4.sha256Hex(body);
    assertThat(hash).isEqualTo("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");

    Map<String, String> headers = sigv4.sign("PUT", HOST, "/" + SigV4.encode("test$file.text", true), Map.of(),
        Map.of("Date", "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class", "REDUCED_REDUNDANCY"), hash, WHEN);

    assertThat(headers.get("authorization")).endsWith("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;"
        + "x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  }

  @Test
  void sign_listObjectsExample_sortsTheQuery() {
    Map<String, String> headers = sigv4.sign("GET", HOST, "/", Map.of("prefix", "J", "max-keys", "2"), Map.of(),
        SigV4.EMPTY_SHA256, WHEN);

    assertThat(headers.get("authorization"))
        .endsWith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  }

  @Test
  void sign_withSessionToken_sendsAndSignsIt() {
    SigV4 temporary = new SigV4(ACCESS_KEY, SECRET, "token/with+chars=", "us-east-1");
    Map<String, String> headers = temporary.sign("GET", HOST, "/test.txt", Map.of(), Map.of(), SigV4.EMPTY_SHA256, WHEN);

    assertThat(headers).containsEntry("x-amz-security-token", "token/with+chars=");
    assertThat(headers.get("authorization"))
        .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,");
    assertThat(headers.get("authorization")).isNotEqualTo(
        sigv4.sign("GET", HOST, "/test.txt", Map.of(), Map.of(), SigV4.EMPTY_SHA256, WHEN).get("authorization"));
  }

  @Test
  void encode_keepsUnreservedAndOptionallySlashes_percentEncodesTheRestAsUtf8() {
    assertThat(SigV4.encode("a-Z_0.9~/x y+é", true)).isEqualTo("a-Z_0.9~/x%20y%2B%C3%A9");
    assertThat(SigV4.encode("imagegate/images/", false)).isEqualTo("imagegate%2Fimages%2F");
  }

  @Test
  void toString_hidesTheSecret() {
    assertThat(sigv4.toString()).contains(ACCESS_KEY).doesNotContain(SECRET).doesNotContain("EXAMPLEKEY");
  }
}
