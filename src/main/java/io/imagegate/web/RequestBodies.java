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
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final long MAX_FILE_BYTES = 50L * 1024 * 1024;
  private static final int MAX_TEXT_PART_BYTES = 1024 * 1024;
  private static final int MAX_PARTS = 64;

  private final long maxBodyBytes;
  private static final Set<String> FILE_FIELDS = Set.of("image", "image[]", "images", "images[]", "mask");
  private final MultipartForm.Limits limits = new MultipartForm.Limits(MAX_FILE_BYTES, MAX_TEXT_PART_BYTES, MAX_PARTS,
      FILE_FIELDS);

  /** Every part is held in memory: the engine's admission bounds the bytes of all bodies held at once. */
  RequestBodies(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  ImageRequest read(Context ctx, Operation operation) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) throw BodyLimit.tooLarge(maxBodyBytes);
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    String media = type.split(";", 2)[0].trim();
    if (media.equals("application/json")) {
      return ImageRequestReader.fromJson(readJson(ctx), operation);
    }
    if (media.equals("multipart/form-data") && operation == Operation.EDIT) return readMultipart(ctx, operation);
    String allowed = operation == Operation.EDIT ? "application/json or multipart/form-data" : "application/json";
    throw new ApiException(415, "invalid_request_error", null, "unsupported_media_type", "Unsupported Content-Type '"
        + (type.isEmpty() ? "(none)" : abbreviate(type)) + "'; send the body as " + allowed + ".");
  }

  private JsonNode readJson(Context ctx) {
    try (InputStream in = new BodyLimit(ctx.req().getInputStream(), maxBodyBytes)) {
      JsonNode body = JSON.readTree(in);
      if (body == null || body.isMissingNode()) throw unparsable("The request body is empty.");
      return body;
    } catch (JsonProcessingException e) {
      throw unparsable("We could not parse the JSON body of your request (" + e.getOriginalMessage()
          + "). Send a valid JSON object.");
    } catch (IOException e) {
      throw unparsable("The request body could not be read completely.");
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
      throw unparsable("The request body could not be read completely.");
    }
    for (MultipartForm.Part part : parts) {
      String name = part.name();
      if (!FILE_FIELDS.contains(name)) {
        if (part.fileName() != null) throw ApiException.unknownParameter(name);
        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(new String(part.content(), StandardCharsets.UTF_8));
        continue;
      }
      byte[] bytes = part.content();
      // Clients differ in whether they name a file part; its content decides: image bytes, or a text
      // reference (URL, data URL, base64) sent as a plain field.
      if (ImageFormat.sniff(bytes) == null && part.fileName() == null) {
        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(new String(bytes, StandardCharsets.UTF_8));
      } else if (name.equals("mask")) {
        mask = ImageRef.ofBytes(bytes, "mask");
      } else {
        images.add(ImageRef.ofBytes(bytes, images.isEmpty() ? "image" : "image[" + images.size() + "]"));
      }
    }
    return ImageRequestReader.fromForm(fields, images, mask, operation);
  }

  private static ApiException unparsable(String message) {
    return new ApiException(400, "invalid_request_error", null, null, message);
  }

  private static String abbreviate(String v) { return v.length() > 60 ? v.substring(0, 60) + "…" : v; }
}
