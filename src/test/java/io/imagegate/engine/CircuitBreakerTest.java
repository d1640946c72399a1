package io.imagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's states on a fake clock: closed, open for the cool-down, one half-open probe, closed again. */
class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), now::get);

  private void advance(Duration d) { now.addAndGet(d.toNanos()); }

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.failure();
    }
  }

  @Test
  void tryAcquire_belowThreshold_staysClosed() {
    fail(2);
    assertThat(breaker.open()).isFalse();
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void tryAcquire_atThreshold_opensForTheCoolDown() {
    fail(3);
    assertThat(breaker.open()).isTrue();
    assertThat(breaker.tryAcquire()).isFalse();
    advance(Duration.ofSeconds(30).minusNanos(1));
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.open()).isTrue();
  }

  @Test
  void tryAcquire_afterCoolDown_letsExactlyOneProbeThrough() {
    fail(3);
    advance(Duration.ofSeconds(30));
    assertThat(breaker.open()).isFalse();
    assertThat(breaker.tryAcquire()).as("the probe").isTrue();
    assertThat(breaker.tryAcquire()).as("a second caller while the probe runs").isFalse();
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void success_ofTheProbe_closesTheBreaker() {
    fail(3);
    advance(Duration.ofSeconds(31));
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.success();
    assertThat(breaker.open()).isFalse();
    for (int i = 0; i < 5; i++) assertThat(breaker.tryAcquire()).isTrue();
    // and it counts from zero again
    fail(2);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void failure_ofTheProbe_reopensForAnotherFullCoolDown() {
    fail(3);
    advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.failure();
    assertThat(breaker.open()).isTrue();
    assertThat(breaker.tryAcquire()).isFalse();
    advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).isFalse();
    advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire()).as("the next probe").isTrue();
  }

  @Test
  void release_ofTheProbe_letsAnotherProbeThrough() {
    fail(3);
    advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.release();
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void success_betweenFailures_resetsTheConsecutiveCount() {
    fail(2);
    breaker.success();
    fail(2);
    assertThat(breaker.open()).isFalse();
    assertThat(breaker.tryAcquire()).isTrue();
    fail(1);
    assertThat(breaker.open()).isTrue();
  }

  @Test
  void coolDown_acrossNanoTimeOverflow_stillEndsOnTime() {
    now.set(Long.MAX_VALUE - Duration.ofSeconds(10).toNanos());
    fail(3);
    advance(Duration.ofSeconds(20)); // the clock wraps past Long.MAX_VALUE here
    assertThat(breaker.tryAcquire()).isFalse();
    advance(Duration.ofSeconds(10));
    assertThat(breaker.tryAcquire()).isTrue();
  }
}
