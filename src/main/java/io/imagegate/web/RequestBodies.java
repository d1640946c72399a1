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
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
  private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
  private static final long MAX_FILE_BYTES = 50L * 1024 * 1024;
  private static final int MAX_TEXT_PART_BYTES = 1024 * 1024;
  private static final Set<String> IMAGE_FIELDS = Set.of("image", "image[]", "images", "images[]");

  private final long maxBodyBytes;
  private final MultipartConfigElement multipart;

  RequestBodies(long maxBodyBytes, Path spoolDir) {
    this.maxBodyBytes = maxBodyBytes;
    // Parts up to 16 MB stay in memory (the engine's admission bounds the bytes of all bodies held at once);
    // larger ones go to the spool directory.
    this.multipart = new MultipartConfigElement(spoolDir.toString(), MAX_FILE_BYTES, maxBodyBytes, 16 * 1024 * 1024);
  }

  ImageRequest read(Context ctx, Operation operation) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) throw BodyLimit.tooLarge(maxBodyBytes);
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    if (type.startsWith("application/json") || type.contains("+json")) {
      return ImageRequestReader.fromJson(readJson(ctx), operation);
    }
    if (type.startsWith("multipart/form-data") && operation == Operation.EDIT) return readMultipart(ctx, operation);
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
    ctx.req().setAttribute(MULTIPART_CONFIG, multipart);
    Map<String, List<String>> fields = new LinkedHashMap<>();
    List<ImageRef> images = new ArrayList<>();
    ImageRef mask = null;
    try {
      for (Part part : ctx.req().getParts()) {
        String name = part.getName();
        boolean imageField = IMAGE_FIELDS.contains(name) || name.equals("mask");
        if (!imageField) {
          if (part.getSubmittedFileName() != null) throw ApiException.unknownParameter(name);
          fields.computeIfAbsent(name, k -> new ArrayList<>()).add(readText(part));
          continue;
        }
        byte[] bytes = readPart(part);
        // Clients differ in whether they name a file part; its content decides: image bytes, or a text
        // reference (URL, data URL, base64) sent as a plain field.
        if (ImageFormat.sniff(bytes) == null && part.getSubmittedFileName() == null) {
          fields.computeIfAbsent(name, k -> new ArrayList<>()).add(new String(bytes, StandardCharsets.UTF_8));
        } else if (name.equals("mask")) {
          mask = ImageRef.ofBytes(bytes, "mask");
        } else {
          images.add(ImageRef.ofBytes(bytes, images.isEmpty() ? "image" : "image[" + images.size() + "]"));
        }
      }
    } catch (IllegalStateException e) {
      // Jetty's multipart parser says so when a part or the whole body passes the configured limits.
      throw BodyLimit.tooLarge(maxBodyBytes);
    } catch (IOException | ServletException e) {
      throw unparsable("The multipart body could not be parsed: " + e.getMessage());
    }
    return ImageRequestReader.fromForm(fields, images, mask, operation);
  }

  /** A part's bytes, read into one array of its size when the parser knows it (no growing, one copy). */
  private static byte[] readPart(Part part) throws IOException {
    long size = part.getSize();
    try (InputStream in = part.getInputStream()) {
      if (size < 0 || size > MAX_FILE_BYTES) return in.readAllBytes();
      byte[] bytes = new byte[(int) size];
      int n = in.readNBytes(bytes, 0, bytes.length);
      if (n < bytes.length) return java.util.Arrays.copyOf(bytes, n);
      int next = in.read();
      if (next < 0) return bytes;
      // the size was short of the content: keep all of it
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(bytes.length * 2);
      all.write(bytes);
      all.write(next);
      in.transferTo(all);
      return all.toByteArray();
    }
  }

  private static String readText(Part part) throws IOException {
    try (InputStream in = part.getInputStream()) {
      byte[] bytes = in.readNBytes(MAX_TEXT_PART_BYTES + 1);
      if (bytes.length > MAX_TEXT_PART_BYTES) {
        throw ApiException.invalidValue(part.getName(), "The text field '" + part.getName() + "' is too long.");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static ApiException unparsable(String message) {
    return new ApiException(400, "invalid_request_error", null, null, message);
  }

  private static String abbreviate(String v) { return v.length() > 60 ? v.substring(0, 60) + "…" : v; }
}
