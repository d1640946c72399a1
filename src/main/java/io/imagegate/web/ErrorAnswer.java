package io.imagegate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ApiException;
import io.javalin.http.Context;

/** Writes spec §8's {@code {"error":{"message","type","param","code"}}} answer. */
final class ErrorAnswer {
  static final String ANSWERED = "imagegate.answered";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorAnswer() {}

  static void write(Context ctx, ApiException e) {
    ObjectNode error = JSON.createObjectNode();
    ObjectNode body = error.putObject("error");
    body.put("message", e.getMessage());
    body.put("type", e.type());
    body.put("param", e.param());
    body.put("code", e.code());
    ctx.attribute(ANSWERED, Boolean.TRUE);
    e.headers().forEach(ctx::header);
    ctx.status(e.status()).contentType("application/json").result(error.toString());
  }
}
