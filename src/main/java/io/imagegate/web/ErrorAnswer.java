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
    ctx.attribute(ANSWERED, Boolean.TRUE);
    ctx.attribute(AccessLog.CODE_ATTRIBUTE, e.code());
    e.headers().forEach(ctx::header);
    ctx.status(e.status()).contentType("application/json").result(body(e));
  }

  /** The error object of {@code e}, as JSON text. */
  static String body(ApiException e) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", e.getMessage());
    error.put("type", e.type());
    error.put("param", e.param());
    error.put("code", e.code());
    return root.toString();
  }
}
