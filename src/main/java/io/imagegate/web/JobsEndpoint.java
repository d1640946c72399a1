package io.imagegate.web;

import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.jobs.ImageJobs;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * {@code GET /v1/images/jobs}, {@code GET /v1/images/jobs/{id}} and {@code DELETE /v1/images/jobs/{id}}: list,
 * poll and cancel the calling key's async jobs (submitted with {@code Prefer: respond-async}).
 */
final class JobsEndpoint {
  private final ImageJobs jobs;

  JobsEndpoint(ImageJobs jobs) { this.jobs = jobs; }

  void list(Context ctx) throws IOException {
    send(ctx, jobs.list(caller(ctx), ctx.queryParam("limit"), ctx.queryParam("after")));
  }

  void get(Context ctx) throws IOException { send(ctx, jobs.get(caller(ctx), ctx.pathParam("id"))); }

  void cancel(Context ctx) throws IOException { send(ctx, jobs.cancel(caller(ctx), ctx.pathParam("id"))); }

  /** The calling key, which must have the images scope: jobs are images calls. */
  private static ApiKey caller(Context ctx) {
    ApiKey key = ctx.attribute(GatewayServer.KEY_ATTRIBUTE);
    if (!key.scopes().contains(ApiKey.SCOPE_IMAGES)) {
      throw new ApiException(403, "permission_denied", null, "scope_required", "This API key lacks the 'images'"
          + " scope, so it may not call the images endpoints.");
    }
    return key;
  }

  private static void send(Context ctx, ImageJobs.Answer answer) {
    answer.headers().forEach(ctx::header);
    ctx.status(answer.status()).contentType("application/json").result(answer.body());
  }
}
