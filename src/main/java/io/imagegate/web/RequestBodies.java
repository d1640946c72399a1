package io.imagegate.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.ApiException;
import io.imagegate.api.ImageRef;
import io.imagegate.api.ImageRequest;
import io.imagegate.api.ImageRequestReader;
import io.imagegate.api.Operation;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import io.imagegate.image.ImageFormat;

/**
 * Reads an images request body, JSON or multipart, within the size limit, into an {@link ImageRequest}.
 * Wrong content types, malformed JSON and oversized bodies become clear 4xx answers.
 */
final class RequestBodies {
  /**
   * Trailing tokens and a member given twice are refused (parsers differ on which of two values wins). A string
   * may be as long as the body limit allows: an image inlined as base64 is tens of MB (the parser's own default
   * stops strings at 20 million characters, a 15 MB image).
   */
  private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE).build()).build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final long MAX_FILE_BYTES = 50L * 1024 * 1024;
  private static final int MAX_TEXT_PART_BYTES = 1024 * 1024;
  private static final int MAX_PARTS = 64;

  private final long maxBodyBytes;
  private final java.time.Duration bodyTimeout;
  private static final Set<String> FILE_FIELDS = Set.of("image", "image[]", "images", "images[]", "mask");
  private final MultipartForm.Limits limits = new MultipartForm.Limits(MAX_FILE_BYTES, MAX_TEXT_PART_BYTES, MAX_PARTS,
      FILE_FIELDS);

  /** Every part is held in memory: the engine's admission bounds the bytes of all bodies held at once. */
  RequestBodies(long maxBodyBytes, java.time.Duration bodyTimeout) {
    this.maxBodyBytes = maxBodyBytes;
    this.bodyTimeout = bodyTimeout;
  }

  ImageRequest read(Context ctx, Operation operation) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) throw BodyLimit.tooLarge(maxBodyBytes);
    String coding = ctx.header("Content-Encoding");
    if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
      throw new ApiException(415, "invalid_request_error", null, "unsupported_media_type", "The Content-Encoding '"
          + abbreviate(coding.trim()) + "' is not supported; send the body uncompressed.");
    }
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    String media = type.split(";", 2)[0].trim();
    if (media.equals("application/json")) {
      JsonNode body;
      try (BodyTimeout t = BodyTimeout.start(ctx.req(), bodyTimeout)) {
        body = readJson(ctx);
      }
      return ImageRequestReader.fromJson(body, operation);
    }
    if (media.equals("multipart/form-data") && operation == Operation.EDIT) {
      try (BodyTimeout t = BodyTimeout.start(ctx.req(), bodyTimeout)) {
        return readMultipart(ctx, operation);
      }
    }
    String allowed = operation == Operation.EDIT ? "application/json or multipart/form-data" : "application/json";
    throw new ApiException(415, "invalid_request_error", null, "unsupported_media_type", "Unsupported Content-Type '"
        + (type.isEmpty() ? "(none)" : abbreviate(type)) + "'; send the body as " + allowed + ".");
  }

  /**
   * A JSON body, which must be UTF-8 (RFC 8259 §8.1): it is decoded strictly, so that an invalid byte, an
   * overlong form, an encoded surrogate or a code point past U+10FFFF is refused rather than read as
   * something else, and every string in it must be valid Unicode (no unpaired {@code \\u} surrogate).
   */
  private JsonNode readJson(Context ctx) {
    try (InputStream in = new BodyLimit(ctx.req().getInputStream(), maxBodyBytes);
        java.io.Reader text = new java.io.InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
      JsonNode body = JSON.readTree(text);
      if (body == null || body.isMissingNode()) throw unparsable("The request body is empty.");
      TextCheck.json(body);
      return body;
    } catch (JsonProcessingException e) {
      // the parser's limits name where they are set (from `StreamReadConstraints…`): not for the client
      String why = e.getOriginalMessage().replaceAll(",? *from `[^`]*`", "");
      throw unparsable("We could not parse the JSON body of your request (" + why + "). Send a valid JSON object.");
    } catch (CharacterCodingException e) {
      throw unparsable("The request body is not valid UTF-8; send the JSON encoded as UTF-8.");
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private ImageRequest readMultipart(Context ctx, Operation operation) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    List<ImageRef> images = new ArrayList<>();
    ImageRef mask = null;
    List<MultipartForm.Part> parts;
    try (InputStream in = new BodyLimit(ctx.req().getInputStream(), maxBodyBytes)) {
      parts = MultipartForm.read(in, ctx.req().getContentLengthLong(), ctx.contentType(), limits);
    } catch (IOException e) {
      throw unreadable(e);
    }
    for (MultipartForm.Part part : parts) {
      String name = part.name();
      if (!FILE_FIELDS.contains(name)) {
        if (part.fileName() != null) throw ApiException.unknownParameter(name);
        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(TextCheck.utf8(part.content(), name));
        continue;
      }
      byte[] bytes = part.content();
      // Clients differ in whether they name a file part; its content decides: image bytes, or a text
      // reference (URL, data URL, base64) sent as a plain field.
      if (ImageFormat.sniff(bytes) == null && part.fileName() == null) {
        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(TextCheck.utf8(bytes, name));
      } else if (name.equals("mask")) {
        mask = ImageRef.ofBytes(bytes, "mask");
      } else {
        images.add(ImageRef.ofBytes(bytes, images.isEmpty() ? "image" : "image[" + images.size() + "]"));
      }
    }
    return ImageRequestReader.fromForm(fields, images, mask, operation);
  }

  /**
   * The body paused past the body timeout (408), or its framing broke, a bad chunk or a connection cut midway
   * (the HTTP layer's own 400).
   */
  private ApiException unreadable(IOException e) {
    if (BodyTimeout.isTimeout(e)) {
      return new ApiException(408, "invalid_request_error", null, "request_timeout", "The request body paused for"
          + " more than " + bodyTimeout.toSeconds() + " s; send it without stalling.");
    }
    return new ApiException(400, "invalid_request_error", null, "malformed_request", "The request body could not"
        + " be read completely: check its Content-Length or its chunked framing.");
  }

  private static ApiException unparsable(String message) {
    return new ApiException(400, "invalid_request_error", null, null, message);
  }

  private static String abbreviate(String v) { return v.length() > 60 ? v.substring(0, 60) + "…" : v; }
}
