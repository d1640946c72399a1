package io.imagegate.trace;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on 127.0.0.1: {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest}, decoded and kept, each span with its resource; answered as a collector
 * answers. Tests then wait for the spans they expect ({@link #await}).
 */
final class RecordingCollector implements AutoCloseable {
  /** One exported span and the resource of the process that sent it. */
  record Received(Resource resource, Span span) {
    String traceId() { return HexFormat.of().formatHex(span.getTraceId().toByteArray()); }

    String spanId() { return HexFormat.of().formatHex(span.getSpanId().toByteArray()); }

    String parentId() { return HexFormat.of().formatHex(span.getParentSpanId().toByteArray()); }

    /** The attribute's value, or null when the span has none of that name. */
    AnyValue attribute(String name) { return find(span.getAttributesList(), name); }

    String string(String name) {
      AnyValue v = attribute(name);
      return v == null ? null : v.getStringValue();
    }

    Long number(String name) {
      AnyValue v = attribute(name);
      return v == null ? null : v.getIntValue();
    }

    String resourceString(String name) {
      AnyValue v = find(resource.getAttributesList(), name);
      return v == null ? null : v.getStringValue();
    }

    private static AnyValue find(List<KeyValue> attributes, String name) {
      for (KeyValue kv : attributes) if (kv.getKey().equals(name)) return kv.getValue();
      return null;
    }
  }

  private final HttpServer server;
  private final List<Received> spans = new ArrayList<>();
  private final List<String> contentTypes = new ArrayList<>();

  RecordingCollector() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/v1/traces", exchange -> {
      try (exchange) {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        InputStream in = "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(exchange.getRequestBody())
            : exchange.getRequestBody();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
        synchronized (this) {
          contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
              for (Span s : ss.getSpansList()) spans.add(new Received(rs.getResource(), s));
            }
          }
          notifyAll();
        }
        byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        }
      }
    });
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}, for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  String endpoint() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

  /** Every span received so far. */
  synchronized List<Received> spans() { return List.copyOf(spans); }

  /** The content types of the export requests so far. */
  synchronized List<String> contentTypes() { return List.copyOf(contentTypes); }

  /** The spans of one trace once {@code done} holds for them, waiting up to 10 s; fails when it never does. */
  synchronized List<Received> await(String traceId, Predicate<List<Received>> done) throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<Received> trace = spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
      if (done.test(trace)) return trace;
      long left = end - System.nanoTime();
      if (left <= 0) throw new AssertionError("trace " + traceId + " is incomplete after 10 s: " + names(trace));
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Spans of one trace once there are at least {@code count}. */
  List<Received> await(String traceId, int count) throws InterruptedException {
    return await(traceId, t -> t.size() >= count);
  }

  /** The SERVER span of the request with this {@code x-request-id}, waiting up to 10 s for it. */
  synchronized Received serverSpan(String requestId) throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    while (true) {
      for (Received r : spans) {
        if (requestId.equals(r.string("imagegate.request_id"))) return r;
      }
      long left = end - System.nanoTime();
      if (left <= 0) throw new AssertionError("no span of request " + requestId + " after 10 s");
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private static List<String> names(List<Received> trace) {
    List<String> names = new ArrayList<>();
    for (Received r : trace) names.add(r.span().getName());
    return names;
  }

  @Override
  public void close() { server.stop(0); }
}
