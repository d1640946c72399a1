package io.imagegate.trace;

import io.imagegate.config.TraceSettings;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the OpenTelemetry SDK from the {@code OTEL_*} variables with the SDK's own autoconfiguration, so
 * that every standard variable means what its specification says. What the gateway decides itself: traces
 * only (its metrics are Prometheus, its logs its own), exported over OTLP/HTTP through the JDK's HTTP client,
 * protobuf unless told {@code http/json}; the service is {@code imagegate} unless named otherwise; and the SDK
 * is shut down by the gateway's close, not by a shutdown hook of its own.
 *
 * <p>Implementation notes: the variables come from the settings, not from the process: they are handed to
 * the SDK as overrides of what it would read itself, so a gateway started with its own environment (in
 * tests, several in one JVM) exports where that environment says.
 */
final class OtlpSetup {
  static final String SERVICE_NAME = "imagegate";

  private OtlpSetup() {}

  static OpenTelemetrySdk build(TraceSettings settings) {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    settings.otel().forEach((name, value) -> properties.put(property(name), value));
    properties.put("otel.traces.exporter", "otlp");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    try {
      return AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesCustomizer(fromProcess -> properties)
          .addResourceCustomizer(OtlpSetup::named)
          .disableShutdownHook()
          .build()
          .getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the OTEL_* settings could not start tracing: " + e.getMessage(), e);
    }
  }

  /** {@code OTEL_BSP_SCHEDULE_DELAY} → {@code otel.bsp.schedule.delay}, as the SDK maps variables itself. */
  static String property(String variable) { return variable.toLowerCase(Locale.ROOT).replace('_', '.'); }

  /** The service is {@code imagegate} unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES names it. */
  private static Resource named(Resource resource, ConfigProperties config) {
    boolean named = config.getString("otel.service.name") != null
        || config.getMap("otel.resource.attributes").containsKey("service.name");
    return named ? resource : resource.toBuilder().put("service.name", SERVICE_NAME).build();
  }
}
