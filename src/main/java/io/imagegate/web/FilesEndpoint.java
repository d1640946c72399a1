package io.imagegate.web;

import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.batch.BatchFiles;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * OpenAI's Files API: {@code POST /v1/files} (multipart {@code file} and {@code purpose}), {@code GET /v1/files},
 * {@code GET /v1/files/{id}}, {@code GET /v1/files/{id}/content} and {@code DELETE /v1/files/{id}}. The upload is
 * spooled to a temp file by the servlet multipart reader past 1 MB and streamed on to the image store.
 */
final class FilesEndpoint {
  private final BatchFiles files;

  FilesEndpoint(BatchFiles files) { this.files = files; }

  void upload(Context ctx) throws IOException {
    ApiKey key = BatchesEndpoint.caller(ctx);
    long declared = ctx.req().getContentLengthLong();
    if (declared > files.maxBytes() + 64 * 1024) throw tooLarge(ctx);
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      throw new ApiException(400, "invalid_request_error", null, "invalid_content_type", "POST /v1/files takes a"
          + " multipart/form-data body with the parts 'file' and 'purpose'.");
    }
    UploadedFile file;
    String purpose;
    try {
      file = ctx.uploadedFile("file");
      purpose = ctx.formParam("purpose");
    } catch (Exception e) { // the servlet's multipart reader throws ServletException too
      if (pastLimit(e)) throw tooLarge(ctx); // a body without Content-Length that ran past the limit
      throw new ApiException(400, "invalid_request_error", null, "invalid_multipart", "The multipart body could"
          + " not be read.");
    }
    if (file != null && file.size() > files.maxBytes()) throw tooLarge();
    try (InputStream in = file == null ? null : file.content()) {
      send(ctx, files.upload(key, purpose, file == null ? null : file.filename(), in));
    }
  }

  void list(Context ctx) {
    send(ctx, files.list(BatchesEndpoint.caller(ctx), ctx.queryParam("purpose"), ctx.queryParam("limit"),
        ctx.queryParam("after")));
  }

  void get(Context ctx) { send(ctx, files.get(BatchesEndpoint.caller(ctx), ctx.pathParam("id"))); }

  void content(Context ctx) throws IOException {
    BatchFiles.Content content = files.content(BatchesEndpoint.caller(ctx), ctx.pathParam("id"));
    ctx.status(200).contentType("application/octet-stream").header("Content-Length", String.valueOf(content.size()));
    try (InputStream in = content.body(); OutputStream out = ctx.res().getOutputStream()) {
      in.transferTo(out);
    }
  }

  void delete(Context ctx) throws IOException {
    send(ctx, files.delete(BatchesEndpoint.caller(ctx), ctx.pathParam("id")));
  }

  /** Whether the multipart reader stopped at its size limits (Jetty says "... exceeded"). */
  private static boolean pastLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("exceeded")) return true;
    }
    return false;
  }

  /**
   * The 413 of an upload still arriving: the rest of its body is read and dropped first (up to
   * {@value #DRAIN_BYTES} bytes), as a proxy's lingering close does, so that the client, done sending, reads the
   * answer instead of a connection reset; the connection is then closed.
   */
  private ApiException tooLarge(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] sink = new byte[64 * 1024];
      long left = DRAIN_BYTES;
      int n;
      while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) left -= n;
    } catch (IOException | RuntimeException e) {
      // the body is gone or unreadable now: the answer goes out as it can
    }
    ctx.header("Connection", "close");
    return tooLarge();
  }

  private static final long DRAIN_BYTES = 16L << 20;

  private ApiException tooLarge() {
    return new ApiException(413, "invalid_request_error", "file", "file_too_large", "The file is larger than "
        + (files.maxBytes() / (1024 * 1024)) + " MB, the most this gateway takes.");
  }

  static void send(Context ctx, byte[] body) { ctx.status(200).contentType("application/json").result(body); }
}
