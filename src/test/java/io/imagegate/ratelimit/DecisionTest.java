package io.imagegate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecisionTest {

  @Test
  void allowed_carriesBothWindowsInOrder_andNoRetryAfter() {
    Decision d = new Decision(true, new Window(10, 9, Duration.ofSeconds(6)),
        new Window(50, 46, Duration.ofMillis(4800)), null);
    assertThat(d.headers()).containsExactly(
        entry("x-ratelimit-limit-requests", "10"),
        entry("x-ratelimit-remaining-requests", "9"),
        entry("x-ratelimit-reset-requests", "6s"),
        entry("x-ratelimit-limit-images", "50"),
        entry("x-ratelimit-remaining-images", "46"),
        entry("x-ratelimit-reset-images", "4.8s"));
  }

  @Test
  void refused_addsRetryAfter_inWholeSecondsRoundedUp_atLeastOne() {
    Window w = new Window(10, 0, Duration.ofMinutes(1));
    assertThat(new Decision(false, w, null, Duration.ofSeconds(6)).headers())
        .contains(entry("Retry-After", "6"), entry("x-ratelimit-reset-requests", "1m0s"))
        .doesNotContainKey("x-ratelimit-limit-images");
    assertThat(new Decision(false, w, null, Duration.ofMillis(5001)).headers()).containsEntry("Retry-After", "6");
    assertThat(new Decision(false, w, null, Duration.ofMillis(1)).headers()).containsEntry("Retry-After", "1");
  }

  @Test
  void unlimited_hasNoHeaders() {
    assertThat(new Decision(true, null, null, null).headers()).isEmpty();
  }

  @Test
  void retryAfter_isSetExactlyWhenRefused() {
    assertThatThrownBy(() -> new Decision(true, null, null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(false, null, null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
