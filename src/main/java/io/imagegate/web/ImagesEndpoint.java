package io.imagegate.web;

import io.imagegate.api.ImageRequest;
import io.imagegate.api.Operation;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Authenticator;
import io.imagegate.engine.ImagePipeline;
import io.imagegate.engine.ModelRouter;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import io.imagegate.provider.EventStream;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/images/generations} and {@code POST /v1/images/edits}. */
final class ImagesEndpoint {
  static final String PROVIDER_HEADER = "x-imagegate-provider";
  static final String DEPLOYMENT_HEADER = "x-imagegate-deployment";
  static final String ATTEMPTS_HEADER = "x-imagegate-attempts";
  private static final Logger LOG = LoggerFactory.getLogger(ImagesEndpoint.class);

  private final RequestBodies bodies;
  private final ModelRouter router;
  private final ImagePipeline pipeline;

  ImagesEndpoint(RequestBodies bodies, ModelRouter router, ImagePipeline pipeline) {
    this.bodies = bodies;
    this.router = router;
    this.pipeline = pipeline;
  }

  void generations(Context ctx) throws IOException { handle(ctx, Operation.GENERATION); }

  void edits(Context ctx) throws IOException { handle(ctx, Operation.EDIT); }

  private void handle(Context ctx, Operation operation) throws IOException {
    ImageRequest request = bodies.read(ctx, operation);
    ModelRouter.Route route = router.route(request.modelOrDefault());
    ApiKey key = ctx.attribute(GatewayServer.KEY_ATTRIBUTE);
    Authenticator.checkModel(key, route.id());
    ImagePipeline.Answer answer = pipeline.run(request, route);
    Optional<EventStream> relayed = answer.batch().events();
    try {
      ctx.attribute(ErrorAnswer.ANSWERED, Boolean.TRUE);
      boolean stream = answer.job().options().stream();
      ctx.status(200).contentType(stream ? "text/event-stream" : "application/json")
          .header(PROVIDER_HEADER, answer.provider());
      if (answer.deployment() != null) ctx.header(DEPLOYMENT_HEADER, answer.deployment());
      if (answer.attempts() != null) ctx.header(ATTEMPTS_HEADER, answer.attempts());
      if (stream) ctx.header("Cache-Control", "no-cache");
      OutputStream out = ctx.res().getOutputStream();
      long created = System.currentTimeMillis() / 1000;
      if (relayed.isPresent()) {
        ImagesEventWriter.relay(out, relayed.get());
      } else if (stream) {
        ImagesEventWriter.write(out, answer, created);
      } else {
        ImagesAnswerWriter.write(out, answer, created);
      }
    } catch (EofException e) {
      LOG.info("client went away while its answer was being written");
    } finally {
      relayed.ifPresent(EventStream::close);
    }
  }
}
