package io.imagegate.engine;

import java.time.Instant;
import java.util.List;

/**
 * One deployment as the dashboard's providers page shows it: where it sits in the routing, its circuit
 * breaker, and what its upstream calls came to since this instance started (latencies in milliseconds over
 * the last attempts; the last error masked).
 *
 * @param maxQueue calls that may wait for a place ({@code max_queue}); 0 for none
 * @param inFlight calls on it now, when it has a {@code max_concurrent} (else 0: not counted)
 * @param waiting calls in its queue now
 * @param circuit {@code closed}, {@code half_open} or {@code open}
 */
public record DeploymentStatus(String name, String provider, int priority, int weight, int maxConcurrent,
    int maxQueue, int inFlight, int waiting, List<String> routes, String circuit, long attempts, long successes, long failures, Double p50Millis,
    Double p95Millis, String lastErrorLabel, String lastError, Instant lastErrorAt) {}
