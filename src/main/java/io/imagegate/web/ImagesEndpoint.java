package io.imagegate.web;

import io.imagegate.api.Operation;
import io.imagegate.auth.ApiKey;
import io.imagegate.engine.Exchange;
import io.imagegate.engine.ImageService;
import io.imagegate.jobs.ImageJobs;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * {@code POST /v1/images/generations} and {@code POST /v1/images/edits}: hands the call to the engine's
 * {@link ImageService}, giving it the request body to read and the exchange to answer through; with the header
 * {@code Prefer: respond-async}, to {@link ImageJobs} instead, which answers 202 with a job to poll.
 */
final class ImagesEndpoint {
  private final RequestBodies bodies;
  private final ImageService service;
  private final ImageJobs jobs;
  private final io.imagegate.batch.BatchFiles files;

  ImagesEndpoint(RequestBodies bodies, ImageService service, ImageJobs jobs, io.imagegate.batch.BatchFiles files) {
    this.bodies = bodies;
    this.service = service;
    this.jobs = jobs;
    this.files = files;
  }

  void generations(Context ctx) throws IOException { handle(ctx, Operation.GENERATION); }

  void edits(Context ctx) throws IOException { handle(ctx, Operation.EDIT); }

  private void handle(Context ctx, Operation operation) throws IOException {
    ApiKey key = ctx.attribute(GatewayServer.KEY_ATTRIBUTE);
    if (jobs != null && respondAsync(java.util.Collections.list(ctx.req().getHeaders("Prefer")))) {
      jobs.submit(new HttpExchange(ctx), key, operation, ctx.req().getContentLengthLong(), () -> read(ctx, key, operation));
      return;
    }
    service.handle(new HttpExchange(ctx), key, operation, ctx.req().getContentLengthLong(), () -> read(ctx, key, operation));
  }

  /** The request, its {@code file_id} images replaced by the key's uploaded files. */
  private io.imagegate.api.ImageRequest read(Context ctx, ApiKey key, Operation operation) {
    io.imagegate.api.ImageRequest request = bodies.read(ctx, operation);
    if (files == null) return request;
    try {
      return files.withFiles(key, request);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Whether a {@code Prefer} header (RFC 7240; several, or comma-separated) asks for {@code respond-async}. */
  static boolean respondAsync(java.util.List<String> prefer) {
    for (String header : prefer) {
      for (String preference : header.split(",")) {
        String token = preference.split(";", 2)[0].trim();
        if (token.equalsIgnoreCase("respond-async")) return true;
      }
    }
    return false;
  }

  /** The engine's view of one Javalin request. */
  private static final class HttpExchange implements Exchange {
    private final Context ctx;

    HttpExchange(Context ctx) { this.ctx = ctx; }

    @Override
    public String requestId() { return ctx.res().getHeader(GatewayServer.REQUEST_ID); }

    @Override
    public String path() { return ctx.path(); }

    @Override
    public String header(String name) { return ctx.header(name); }

    @Override
    public String baseUrl() { return ctx.scheme() + "://" + ctx.host(); }

    @Override
    public void recorded(io.imagegate.usage.LedgerEntry entry) { ctx.attribute(AccessLog.CALL_ATTRIBUTE, entry); }

    @Override
    public void notes(io.imagegate.engine.CallNotes notes) { ctx.attribute(AccessLog.NOTES_ATTRIBUTE, notes); }

    @Override
    public io.imagegate.trace.ServerSpan span() {
      io.imagegate.trace.ServerSpan span = ctx.attribute(GatewayServer.SPAN_ATTRIBUTE);
      return span == null ? io.imagegate.trace.ServerSpan.NONE : span;
    }

    @Override
    public Watch watch() {
      ClientWatch watch = ClientWatch.start(ctx.req());
      return new Watch() {
        @Override
        public boolean clientGone() { return watch.clientGone(); }

        @Override
        public void close() {
          watch.close();
          if (watch.readAhead()) ctx.header("Connection", "close");
        }
      };
    }

    @Override
    public void header(String name, String value) { ctx.header(name, value); }

    @Override
    public OutputStream open(int status, String contentType) throws IOException {
      ctx.attribute(ErrorAnswer.ANSWERED, Boolean.TRUE);
      ctx.status(status).contentType(contentType);
      return ctx.res().getOutputStream();
    }

    @Override
    public void abort() {
      ctx.attribute(ErrorAnswer.ANSWERED, Boolean.TRUE);
      try {
        ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection()
            .getEndPoint().close();
      } catch (RuntimeException e) {
        // not a socket connection we can reach: nothing more to close
      }
    }
  }
}
