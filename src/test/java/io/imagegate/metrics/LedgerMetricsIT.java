package io.imagegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} tells how the usage ledger's writer keeps up: each row's wait until committed, and its queue. */
class LedgerMetricsIT {
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  @Test
  void eachLedgerRow_isTimedFromRecordToCommit_andTheQueueDepthIsAGauge() {
    String gen = gateway.url("/v1/images/generations");
    assertThat(Http.postJson(gen, RunningGateway.MASTER_KEY, "{\"prompt\":\"a kite\",\"quality\":\"low\"}").status())
        .isEqualTo(200);
    assertThat(Http.postJson(gen, RunningGateway.MASTER_KEY, "{\"prompt\":\"x\",\"n\":0}").status()).isEqualTo(400);
    String text = scrape();
    // one row per images call, each timed once, and every one well under the 10 s bucket
    assertThat(text).contains("imagegate_ledger_write_seconds_count 2").contains("imagegate_ledger_write_seconds_bucket{le=\"10.0\"} 2");
    assertThat(text).containsPattern("imagegate_ledger_write_seconds_sum 0\\.\\d+");
    assertThat(text).contains("imagegate_ledger_queue_depth 0.0");
  }

  private static String scrape() {
    Http.Answer a = Http.get(gateway.url("/metrics"), RunningGateway.MASTER_KEY);
    assertThat(a.status()).isEqualTo(200);
    return new String(a.raw().body(), StandardCharsets.UTF_8);
  }
}
