package io.imagegate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitFormatTest {

  private static String f(Duration d) { return RateLimitFormat.duration(d); }

  @Test
  void zero_isZeroSeconds() { assertThat(f(Duration.ZERO)).isEqualTo("0s"); }

  @Test
  void underOneSecond_isMilliseconds_roundedUp() {
    assertThat(f(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(f(Duration.ofMillis(20))).isEqualTo("20ms");
    assertThat(f(Duration.ofNanos(1))).isEqualTo("1ms");
    assertThat(f(Duration.ofNanos(999_000_001))).isEqualTo("1s");
  }

  @Test
  void seconds_withTrimmedDecimals() {
    assertThat(f(Duration.ofSeconds(1))).isEqualTo("1s");
    assertThat(f(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(f(Duration.ofMillis(6_025))).isEqualTo("6.025s");
    assertThat(f(Duration.ofMillis(59_990))).isEqualTo("59.99s");
  }

  @Test
  void minutesAndHours() {
    assertThat(f(Duration.ofSeconds(360))).isEqualTo("6m0s");
    assertThat(f(Duration.ofSeconds(60))).isEqualTo("1m0s");
    assertThat(f(Duration.ofMillis(61_500))).isEqualTo("1m1.5s");
    assertThat(f(Duration.ofHours(1))).isEqualTo("1h0m0s");
  }

  @Test
  void negative_isRejected() {
    assertThatThrownBy(() -> f(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
