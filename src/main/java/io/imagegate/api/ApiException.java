package io.imagegate.api;

/**
 * A request the gateway refuses, carrying everything needed for the OpenAI error shape of spec §8:
 * {@code {"error":{"message","type","param","code"}}}. Thrown anywhere below the web layer; the web
 * layer turns it into the answer. The message is shown to the client: never put a key or bytes in it.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String type;
  private final String param;
  private final String code;
  private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

  public ApiException(int status, String type, String param, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  public int status() { return status; }
  public String type() { return type; }
  public String param() { return param; }
  public String code() { return code; }

  /** Response headers that go with the error answer (e.g. the upstream attempts made). */
  public java.util.Map<String, String> headers() { return java.util.Collections.unmodifiableMap(headers); }

  /** Adds a response header to the error answer; returns this exception. */
  public ApiException withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** 400 {@code invalid_request_error/invalid_value} for {@code param}. */
  public static ApiException invalidValue(String param, String message) {
    return new ApiException(400, "invalid_request_error", param, "invalid_value", message);
  }

  /** 400 {@code invalid_request_error/invalid_image}: undecodable, wrong format, too many pixels, unreachable. */
  public static ApiException invalidImage(String param, String message) {
    return new ApiException(400, "invalid_request_error", param, "invalid_image", message);
  }

  public static ApiException missing(String param) {
    return new ApiException(400, "invalid_request_error", param, "missing_required_parameter",
        "Missing required parameter: '" + param + "'.");
  }

  public static ApiException unknownParameter(String param) {
    return new ApiException(400, "invalid_request_error", param, "unknown_parameter",
        "Unknown parameter: '" + param + "'.");
  }
}
