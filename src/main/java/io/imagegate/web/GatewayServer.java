package io.imagegate.web;

import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Authenticator;
import io.imagegate.engine.ImageService;
import io.imagegate.engine.ModelRouter;
import io.imagegate.imagestore.ImageStore;
import io.imagegate.store.Redis;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.store.Database;
import io.imagegate.trace.GatewayTracer;
import io.imagegate.trace.ServerSpan;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on Jetty 12 with virtual threads, so that thousands of slow image calls can be
 * held in flight cheaply. Declares every route and turns every failure into spec §8's error shape.
 */
public final class GatewayServer implements AutoCloseable {
  static final String KEY_ATTRIBUTE = "imagegate.key";
  static final String SPAN_ATTRIBUTE = "imagegate.span";
  /** Probes and scrapes, every few seconds each: no span (they would drown the traces that matter). */
  private static final java.util.Set<String> UNTRACED = java.util.Set.of("/health", "/ready", "/metrics");
  private static final String FILES_PATH = "/v1/images/files/";
  /** Longer than any answer: the default retry deadline is 600 s across attempts and fallbacks. */
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(15);
  private static final int ACCEPT_QUEUE = 8192;
  static final String REQUEST_ID = "x-request-id";
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Parts parts;
  private Javalin app;

  /** What the server needs from the rest of the gateway. */
  public record Parts(Authenticator auth, ModelRouter router, ImageService service, Database database,
      long maxBodyBytes, Duration bodyTimeout, ImageStore images, JdbcUsageLedger ledger, Redis redis, java.util.List<String> corsOrigins,
      io.imagegate.metrics.GatewayMetrics metrics, String metricsToken, java.util.List<String> trustedProxies,
      GatewayTracer tracer, io.imagegate.jobs.ImageJobs jobs, io.imagegate.batch.BatchFiles batchFiles,
      io.imagegate.batch.ImageBatches batches) {}

  public GatewayServer(Parts parts) { this.parts = parts; }

  /** Starts listening; port 0 picks a free one. */
  public GatewayServer start(String host, int port) {
    app = create(host, port).start();
    return this;
  }

  private Javalin create(String host, int port) {
    ImagesEndpoint images = new ImagesEndpoint(new RequestBodies(parts.maxBodyBytes(), parts.bodyTimeout()),
        parts.service(), parts.jobs(), parts.batchFiles());
    JobsEndpoint jobs = new JobsEndpoint(parts.jobs());
    FilesEndpoint uploads = new FilesEndpoint(parts.batchFiles());
    BatchesEndpoint batches = new BatchesEndpoint(parts.batches());
    UsageEndpoint usage = new UsageEndpoint(parts.ledger());
    ImageFilesEndpoint files = new ImageFilesEndpoint(parts.images());
    ModelsEndpoint models = new ModelsEndpoint(parts.router());
    ProvidersEndpoint providers = new ProvidersEndpoint(parts.router());
    RequestsEndpoint requests = new RequestsEndpoint(parts.ledger());
    ConsolePages pages = new ConsolePages();
    MetricsEndpoint metrics = new MetricsEndpoint(parts.metrics(), parts.auth(), parts.metricsToken());
    return Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.jetty.addConnector((server, http) -> connector(server, http, host, port));
      // what Jetty answers itself (a header block too large, an unparsable path) is JSON too
      config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.http.maxRequestSize = parts.maxBodyBytes();
      // POST /v1/files: parts past 1 MB spool to a temp file, never past the upload limit (a chunked body too)
      long uploadLimit = parts.batchFiles() == null ? parts.maxBodyBytes() : parts.batchFiles().maxBytes();
      config.jetty.multipartConfig.maxFileSize(uploadLimit + 1, io.javalin.config.SizeUnit.BYTES);
      config.jetty.multipartConfig.maxTotalRequestSize(uploadLimit + 1024 * 1024, io.javalin.config.SizeUnit.BYTES);
      config.http.prefer405over404 = true;
      RouteTable table = new RouteTable();
      Cors cors = new Cors(parts.corsOrigins(), table);
      config.routes.before(ctx -> {
        ctx.attribute(AccessLog.START_ATTRIBUTE, System.nanoTime());
        String requestId = newRequestId();
        ctx.header(REQUEST_ID, requestId);
        if (!UNTRACED.contains(ctx.path())) {
          ctx.attribute(SPAN_ATTRIBUTE, parts.tracer().server(ctx.method().name(), table.template(ctx.path()),
              requestId, ctx::header));
        }
      });
      config.routes.before(cors::before);
      config.routes.before("/v1/*", ctx -> {
        // Signed image URLs carry their own credentials: the signature and the expiry. OPTIONS needs no key.
        if (ctx.path().startsWith(FILES_PATH) || ctx.method() == HandlerType.OPTIONS) return;
        ctx.attribute(KEY_ATTRIBUTE, parts.auth().authenticate(ctx.header("Authorization")));
      });
      AdminKeysEndpoint admin = new AdminKeysEndpoint(parts.auth().keys(), java.time.Clock.systemUTC());
      ConsoleSession session = new ConsoleSession(parts.auth());
      // Admin API: the master key or a key with the admin scope, as bearer or through a dashboard session.
      config.routes.before("/admin/*", ctx -> {
        if (ctx.method() != HandlerType.OPTIONS) ctx.attribute(KEY_ATTRIBUTE, session.caller(ctx));
      });
      Route[] routes = {
          new Route(HandlerType.GET, "/health", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}")),
          new Route(HandlerType.GET, "/ready", ctx -> ready(ctx, parts.service(), parts.database(), parts.redis())),
          new Route(HandlerType.GET, "/metrics", metrics::get),
          new Route(HandlerType.POST, "/v1/images/generations", images::generations),
          new Route(HandlerType.POST, "/v1/images/edits", images::edits),
          new Route(HandlerType.GET, FILES_PATH + "{id}", files::get),
          new Route(HandlerType.GET, "/v1/images/jobs", jobs::list),
          new Route(HandlerType.GET, "/v1/images/jobs/{id}", jobs::get),
          new Route(HandlerType.DELETE, "/v1/images/jobs/{id}", jobs::cancel),
          new Route(HandlerType.POST, "/v1/files", uploads::upload),
          new Route(HandlerType.GET, "/v1/files", uploads::list),
          new Route(HandlerType.GET, "/v1/files/{id}", uploads::get),
          new Route(HandlerType.DELETE, "/v1/files/{id}", uploads::delete),
          new Route(HandlerType.GET, "/v1/files/{id}/content", uploads::content),
          new Route(HandlerType.POST, "/v1/batches", batches::create),
          new Route(HandlerType.GET, "/v1/batches", batches::list),
          new Route(HandlerType.GET, "/v1/batches/{id}", batches::get),
          new Route(HandlerType.POST, "/v1/batches/{id}/cancel", batches::cancel),
          new Route(HandlerType.GET, "/v1/models", models::list),
          new Route(HandlerType.GET, "/v1/models/{id}", models::get),
          new Route(HandlerType.GET, "/v1/usage", usage::own),
          new Route(HandlerType.POST, "/admin/keys", admin::create),
          new Route(HandlerType.GET, "/admin/keys", admin::list),
          new Route(HandlerType.GET, "/admin/keys/{id}", admin::get),
          new Route(HandlerType.PATCH, "/admin/keys/{id}", admin::update),
          new Route(HandlerType.DELETE, "/admin/keys/{id}", admin::revoke),
          new Route(HandlerType.GET, "/admin/usage", usage::admin),
          new Route(HandlerType.POST, "/admin/session", session::signIn),
          new Route(HandlerType.GET, "/admin/session", session::get),
          new Route(HandlerType.DELETE, "/admin/session", session::signOut),
          new Route(HandlerType.GET, "/admin/providers", providers::list),
          new Route(HandlerType.GET, "/admin/playground/models", models::playground),
          // the dashboard's playground: the same calls as /v1, made with the signed-in admin's session
          new Route(HandlerType.POST, "/admin/playground/images/generations", images::generations),
          new Route(HandlerType.POST, "/admin/playground/images/edits", images::edits),
          new Route(HandlerType.GET, "/", pages::index),
          new Route(HandlerType.GET, "/ui/<path>", pages::file),
          new Route(HandlerType.GET, "/admin/overview", new OverviewEndpoint(parts.ledger(), java.time.Clock.systemUTC())::get),
          new Route(HandlerType.GET, "/admin/requests", requests::list),
          new Route(HandlerType.GET, "/admin/requests/{id}", requests::get)};
      for (Route r : routes) {
        table.add(r.method().name(), r.path());
        config.routes.addHttpHandler(r.method(), r.path(), r.handler());
      }
      config.routes.exception(ApiException.class, (e, ctx) -> ErrorAnswer.write(ctx, e));
      config.routes.exception(HttpResponseException.class, (e, ctx) -> {
        if (e.getStatus() == 405) notAllowed(ctx, table);
        else ErrorAnswer.write(ctx, fromFramework(e));
      });
      config.routes.exception(Exception.class, GatewayServer::unexpected);
      config.routes.error(404, ctx -> notFound(ctx));
      config.routes.error(405, ctx -> notAllowed(ctx, table));
      AccessLog access = new AccessLog(java.util.Set.copyOf(parts.trustedProxies()), table);
      config.routes.after(access::write);
      // every answer, the images calls' and the others' (a 401 before any key is known, the admin API, the pages)
      config.routes.after(ctx -> parts.metrics().http(access.route(ctx), ctx.method().name(), ctx.status().getCode(),
          AccessLog.errorType(ctx).label()));
      config.routes.after(GatewayServer::endSpan);
    });
  }

  /**
   * The listening socket, sized for thousands of slow calls: a deep accept queue so that a burst of new
   * connections is not dropped (the default backlog is 50), and an idle timeout longer than any answer, since
   * an image call waits on its upstream for minutes without a byte on the wire.
   */
  private static ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
    // Jetty's 8 KiB input buffer: 64 KiB measured no faster for megabyte bodies (edits: 1.94 against 1.96 ms
    // of CPU an answer), and it costs its size again for every call held (5,000 held: 1,306 against 998 MB RSS)
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    return connector;
  }

  public int port() { return app.port(); }

  /** Ends the request's span with its answer's status and error type, as the access line reports them. */
  private static void endSpan(Context ctx) {
    ServerSpan span = ctx.attribute(SPAN_ATTRIBUTE);
    if (span != null) span.end(ctx.status().getCode(), AccessLog.errorType(ctx));
  }

  @Override
  public void close() {
    if (app != null) app.stop();
  }

  private static void ready(Context ctx, ImageService service, Database database, Redis redis) {
    String down = service.draining() ? "shutting down" : !database.reachable() ? "store unreachable" : redis != null && !redis.reachable() ? "redis unreachable"
        : null;
    ctx.status(down == null ? 200 : 503).contentType("application/json")
        .result("{\"status\":\"" + (down == null ? "ready" : down) + "\"}");
  }

  private static void notFound(Context ctx) {
    if (ctx.attribute(ErrorAnswer.ANSWERED) != null) return;
    ErrorAnswer.write(ctx, new ApiException(ctx.status().getCode(), "invalid_request_error", null, null,
        "Invalid URL (" + ctx.method() + " " + ctx.path() + ")."));
  }

  /** A known path asked with a method it does not take: 405 with the methods it does. */
  private static void notAllowed(Context ctx, RouteTable table) {
    if (ctx.attribute(ErrorAnswer.ANSWERED) != null) return;
    String allow = String.join(", ", table.allowed(ctx.path()));
    if (!allow.isEmpty()) ctx.header("Allow", allow);
    ErrorAnswer.write(ctx, new ApiException(405, "invalid_request_error", null, "method_not_allowed",
        ctx.method() + " is not allowed on " + ctx.path() + (allow.isEmpty() ? "." : "; it takes " + allow + ".")));
  }

  /** One endpoint: what the router registers and the route table records. */
  private record Route(HandlerType method, String path, io.javalin.http.Handler handler) {}

  private static ApiException fromFramework(HttpResponseException e) {
    if (e.getStatus() == 413) return new ApiException(413, "invalid_request_error", null, "request_too_large",
        "The request body is larger than this gateway accepts.");
    return new ApiException(e.getStatus(), "invalid_request_error", null, null, e.getMessage());
  }

  private static void unexpected(Exception e, Context ctx) {
    String id = ctx.res().getHeader(REQUEST_ID);
    LOG.error("unexpected failure of {} {} (request {})", ctx.method(), ctx.path(), id, e);
    ErrorAnswer.write(ctx, new ApiException(500, "server_error", null, "internal_error",
        "The gateway failed to handle this request (request id " + id + "). Try again; if it persists, report"
            + " the request id."));
  }

  static String newRequestId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return "req_" + HexFormat.of().formatHex(bytes);
  }
}
