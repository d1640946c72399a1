/**
 * What an operator scrapes: the Prometheus registry ({@link io.imagegate.metrics.GatewayMetrics}), fed by the
 * engine's conductor once per images call (from the ledger row it writes, so metrics and ledger never
 * disagree), and the closed list of error types ({@link io.imagegate.metrics.ErrorType}) that labels every
 * failure. Labels are bounded: route-level values only, never a key secret, a prompt, a user or a URL.
 */
package io.imagegate.metrics;
