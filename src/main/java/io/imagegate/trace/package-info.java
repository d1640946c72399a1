/**
 * Traces over OpenTelemetry, off unless an OTLP endpoint is set ({@link io.imagegate.trace.GatewayTracer}):
 * one SERVER span per request ({@link io.imagegate.trace.ServerSpan}), filled in by the engine's conductor,
 * and one CLIENT span per upstream attempt ({@link io.imagegate.trace.UpstreamSpan}). Every attribute name
 * is in {@link io.imagegate.trace.GenAiAttributes}; none carries a key secret, a prompt, an image or a URL.
 */
package io.imagegate.trace;
