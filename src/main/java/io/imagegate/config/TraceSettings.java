package io.imagegate.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Traces, from the standard OpenTelemetry variables ({@code OTEL_*}): exported over OTLP/HTTP only when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set, and then not when
 * {@code OTEL_SDK_DISABLED=true} or {@code OTEL_TRACES_EXPORTER=none}. The gateway reads no other of them
 * itself: the OpenTelemetry SDK takes them as they are (sampler, batch schedule, headers, resource, …).
 *
 * @param otel every {@code OTEL_*} variable that is set and not blank, by name
 */
public record TraceSettings(Map<String, String> otel) {
  private static final String PREFIX = "OTEL_";

  public TraceSettings {
    otel = Map.copyOf(otel);
    for (String name : new String[] {"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"}) {
      String protocol = otel.get(name);
      if (protocol != null && !protocol.trim().startsWith("http/")) {
        throw new IllegalArgumentException(name + " must be http/protobuf (the default) or http/json, not '"
            + protocol + "': imagegate sends OTLP over HTTP only");
      }
    }
  }

  /** Tracing off: no exporter, no SDK. */
  public static TraceSettings off() { return new TraceSettings(Map.of()); }

  public static TraceSettings fromEnvironment(Map<String, String> env) {
    Map<String, String> otel = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name != null && name.startsWith(PREFIX) && value != null && !value.isBlank()) otel.put(name, value.trim());
    });
    return new TraceSettings(otel);
  }

  /** Whether spans are exported: an OTLP endpoint is set and neither the SDK nor the traces exporter is off. */
  public boolean exporting() {
    if (!otel.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") && !otel.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
      return false;
    }
    if ("true".equals(lower("OTEL_SDK_DISABLED"))) return false;
    String exporters = lower("OTEL_TRACES_EXPORTER");
    return exporters == null || !exporters.replace(" ", "").equals("none");
  }

  /** For the start banner: where spans go ({@code scheme://host:port} only, never credentials), or off. */
  public String describe() {
    if (!exporting()) return "off (set OTEL_EXPORTER_OTLP_ENDPOINT to export them)";
    String endpoint = otel.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", otel.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    try {
      java.net.URI uri = java.net.URI.create(endpoint);
      if (uri.getHost() != null) {
        String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
        return "OTLP/HTTP to " + uri.getScheme() + "://" + uri.getHost() + port;
      }
    } catch (IllegalArgumentException unparsable) {
      // the SDK says what is wrong with it when it starts
    }
    return "OTLP/HTTP";
  }

  private String lower(String name) {
    String v = otel.get(name);
    return v == null ? null : v.toLowerCase(Locale.ROOT);
  }

  /** The variables, with the values of the header variables (which may hold credentials) as {@code ***}. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    otel.forEach((name, value) -> shown.put(name, name.endsWith("_HEADERS") ? "***" : value));
    return "TraceSettings" + shown;
  }
}
