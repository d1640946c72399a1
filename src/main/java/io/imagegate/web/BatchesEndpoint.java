package io.imagegate.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.batch.ImageBatches;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * OpenAI's Batch API for images: {@code POST /v1/batches}, {@code GET /v1/batches}, {@code GET /v1/batches/{id}}
 * and {@code POST /v1/batches/{id}/cancel}.
 */
final class BatchesEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private final ImageBatches batches;

  BatchesEndpoint(ImageBatches batches) { this.batches = batches; }

  void create(Context ctx) throws IOException {
    ApiKey key = caller(ctx);
    byte[] raw = ctx.req().getInputStream().readNBytes(MAX_BODY + 1);
    if (raw.length > MAX_BODY) {
      throw new ApiException(413, "invalid_request_error", null, "request_too_large", "A batch's body is at most"
          + " 64 KiB; the requests go in the input file.");
    }
    JsonNode body;
    try {
      body = JSON.readTree(raw);
    } catch (IOException e) {
      throw new ApiException(400, "invalid_request_error", null, "invalid_json", "The body is not valid JSON.");
    }
    FilesEndpoint.send(ctx, batches.create(key, body, ctx.scheme() + "://" + ctx.host()));
  }

  void list(Context ctx) {
    FilesEndpoint.send(ctx, batches.list(caller(ctx), ctx.queryParam("limit"), ctx.queryParam("after")));
  }

  void get(Context ctx) { FilesEndpoint.send(ctx, batches.get(caller(ctx), ctx.pathParam("id"))); }

  void cancel(Context ctx) { FilesEndpoint.send(ctx, batches.cancel(caller(ctx), ctx.pathParam("id"))); }

  /** The calling key, which must have the images scope: a batch's lines are images calls. */
  static ApiKey caller(Context ctx) {
    ApiKey key = ctx.attribute(GatewayServer.KEY_ATTRIBUTE);
    if (!key.scopes().contains(ApiKey.SCOPE_IMAGES)) {
      throw new ApiException(403, "permission_denied", null, "scope_required", "This API key lacks the 'images'"
          + " scope, so it may not call the images, files or batches endpoints.");
    }
    return key;
  }
}
