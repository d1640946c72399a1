package io.imagegate.web;

import io.imagegate.imagestore.ImageStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /v1/images/files/{id}}: the images of {@code response_format: url} answers, streamed from the
 * image store (directory or bucket) without holding them in memory. The URL's signature and expiry are the
 * credentials, so no API key is asked for.
 */
final class ImageFilesEndpoint {
  private final ImageStore store;

  ImageFilesEndpoint(ImageStore store) { this.store = store; }

  void get(Context ctx) throws IOException {
    try (ImageStore.Found found = store.open(ctx.pathParam("id"), ctx.queryParam("expires"), ctx.queryParam("signature"))) {
      ctx.status(200).contentType(found.contentType()).header("Cache-Control", "private, max-age=300");
      if (found.size() >= 0) ctx.header("Content-Length", String.valueOf(found.size()));
      try (OutputStream out = ctx.res().getOutputStream()) {
        found.body().transferTo(out);
      }
    }
  }
}
