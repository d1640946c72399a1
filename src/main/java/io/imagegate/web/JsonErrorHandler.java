package io.imagegate.web;

import io.imagegate.api.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty makes itself, before a request reaches a route: a header block too large (431), a
 * request line or path it cannot parse (400), a body past a limit (413). They get spec §8's error object
 * instead of Jetty's HTML page, with a message in our words and never a Jetty class name, and an
 * {@code x-request-id} like every other answer.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (!response.getHeaders().contains(GatewayServer.REQUEST_ID)) {
      response.getHeaders().put(GatewayServer.REQUEST_ID, GatewayServer.newRequestId());
    }
    response.write(true, ByteBuffer.wrap(body(code)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    fields.put(GatewayServer.REQUEST_ID, GatewayServer.newRequestId());
    return ByteBuffer.wrap(body(status));
  }

  /** The error object for a status Jetty chose; only its own failures (500-504) are the server's. */
  static byte[] body(int status) {
    String type = status >= 500 && status != 505 ? "server_error" : "invalid_request_error";
    return ErrorAnswer.body(new ApiException(status, type, null, code(status), message(status)))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String message(int status) {
    return switch (status) {
      case 431 -> "The request's headers are too large (at most 8 KB in all). Send a shorter Authorization key"
          + " and fewer or shorter headers.";
      case 414 -> "The request's URL is too long.";
      case 413 -> "The request body is larger than this gateway accepts.";
      case 400 -> "The request could not be parsed as HTTP/1.1: check the request line, the path (no NUL, no"
          + " invalid UTF-8, no '..' segments) and the headers.";
      case 404 -> "Invalid URL.";
      case 405 -> "This method is not allowed on this URL.";
      case 505 -> "Only HTTP/1.0 and HTTP/1.1 are served.";
      default -> status >= 500 ? "The gateway failed to handle this request. Try again." : "The request was refused"
          + " (HTTP " + status + ").";
    };
  }

  private static String code(int status) {
    return switch (status) {
      case 431 -> "request_headers_too_large";
      case 414 -> "url_too_long";
      case 413 -> "request_too_large";
      case 400 -> "malformed_request";
      default -> null;
    };
  }
}
