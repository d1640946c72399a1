package io.imagegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** retry: and circuit_breaker:; the file puts them on line 1. */
class PolicySectionTest {
  @TempDir Path dir;

  private String error(String yaml) { return ConfigFiles.error(dir, yaml, Map.of()).getMessage(); }

  private String at(int line, String path) { return ConfigFiles.at(dir, line, path); }

  @Test
  void load_partialRetry_keepsOtherDefaults() {
    GatewayConfig c = ConfigFiles.load(dir, "retry:\n  max_attempts: 1\ncircuit_breaker:\n  cool_down_seconds: 0.5\n",
        Map.of());

    assertThat(c.retry()).isEqualTo(new RetryConfig(1, Duration.ofMillis(250), Duration.ofMillis(8000),
        Duration.ofSeconds(600)));
    assertThat(c.breaker()).isEqualTo(new BreakerConfig(5, Duration.ofMillis(500)));
  }

  @Test
  void load_zeroDelays_areAllowed() {
    GatewayConfig c = ConfigFiles.load(dir, "retry: {base_delay_ms: 0, max_delay_ms: 0}\n", Map.of());

    assertThat(c.retry().baseDelay()).isZero();
    assertThat(c.retry().maxDelay()).isZero();
  }

  @Test
  void load_badRetryValues_areErrors() {
    assertThat(error("retry:\n  max_attempts: 0\n"))
        .isEqualTo(at(2, "retry.max_attempts") + "expected a positive whole number, got \"0\"");
    assertThat(error("retry:\n  base_delay_ms: -1\n"))
        .isEqualTo(at(2, "retry.base_delay_ms") + "expected a whole number of at least 0, got \"-1\"");
    assertThat(error("retry:\n  base_delay_ms: 500\n  max_delay_ms: 100\n"))
        .isEqualTo(at(3, "retry.max_delay_ms") + "must be at least base_delay_ms (500), got 100");
    assertThat(error("retry:\n  total_deadline_seconds: -5\n"))
        .isEqualTo(at(2, "retry.total_deadline_seconds") + "expected a positive number, got \"-5\"");
    assertThat(error("retry:\n  max_attempts: 2.5\n"))
        .isEqualTo(at(2, "retry.max_attempts") + "expected a positive whole number, got \"2.5\"");
  }

  @Test
  void load_largeBaseDelayWithoutMax_raisesTheMaxToMatch() {
    GatewayConfig c = ConfigFiles.load(dir, "retry: {base_delay_ms: 20000}\n", Map.of());

    assertThat(c.retry().maxDelay()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void load_badBreakerValues_areErrors() {
    assertThat(error("circuit_breaker:\n  failure_threshold: none\n"))
        .isEqualTo(at(2, "circuit_breaker.failure_threshold") + "expected a positive whole number, got \"none\"");
    assertThat(error("circuit_breaker:\n  cool_down_seconds: 0\n"))
        .isEqualTo(at(2, "circuit_breaker.cool_down_seconds") + "expected a positive number, got \"0\"");
    assertThat(error("circuit_breaker:\n  cooldown_seconds: 3\n"))
        .isEqualTo(at(2, "circuit_breaker.cooldown_seconds") + "unknown key; did you mean \"cool_down_seconds\"?");
  }
}
