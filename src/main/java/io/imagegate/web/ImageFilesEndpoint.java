package io.imagegate.web;

import io.imagegate.imagestore.ImageStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;

/**
 * {@code GET /v1/images/files/{id}}: the images of {@code response_format: url} answers. The URL's signature
 * and expiry are the credentials, so no API key is asked for.
 */
final class ImageFilesEndpoint {
  private final ImageStore store;

  ImageFilesEndpoint(ImageStore store) { this.store = store; }

  void get(Context ctx) throws IOException {
    ImageStore.Found found = store.open(ctx.pathParam("id"), ctx.queryParam("expires"), ctx.queryParam("signature"));
    ctx.status(200).contentType(found.contentType()).header("Content-Length", String.valueOf(found.size()))
        .header("Cache-Control", "private, max-age=300");
    try (InputStream in = Files.newInputStream(found.file()); OutputStream out = ctx.res().getOutputStream()) {
      in.transferTo(out);
    }
  }
}
