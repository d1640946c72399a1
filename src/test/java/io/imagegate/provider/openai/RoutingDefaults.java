package io.imagegate.provider.openai;

/** What the routing ITs of this package share: the upstreams' key and the gateway's retry policy. */
final class RoutingDefaults {
  static final String KEY = "sk-routing-faults-upstream-key-0001";

  /** Three attempts a deployment, 10 ms apart at first, and a breaker that never opens. */
  static final String RETRY = """
      retry: {max_attempts: 3, base_delay_ms: 10, max_delay_ms: 2000, total_deadline_seconds: 30}
      circuit_breaker: {failure_threshold: 1000}
      """;

  private RoutingDefaults() {}
}
