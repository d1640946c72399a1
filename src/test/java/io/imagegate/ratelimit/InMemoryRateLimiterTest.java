package io.imagegate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock::get);

  private void advance(Duration d) { clock.addAndGet(d.toNanos()); }

  @Test
  void tenRpm_tenPass_eleventhRefusedForSixSeconds_thenOneMorePasses() {
    for (int i = 0; i < 10; i++) {
      Decision d = limiter.acquire("k", 10, null, 1);
      assertThat(d.allowed()).as("request %d", i + 1).isTrue();
      assertThat(d.requests().remaining()).isEqualTo(9 - i);
    }
    Decision refused = limiter.acquire("k", 10, null, 1);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(6));
    assertThat(refused.headers()).containsEntry("x-ratelimit-remaining-requests", "0")
        .containsEntry("Retry-After", "6").containsEntry("x-ratelimit-limit-requests", "10");

    advance(Duration.ofMillis(5999));
    assertThat(limiter.acquire("k", 10, null, 1).allowed()).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(limiter.acquire("k", 10, null, 1).allowed()).isTrue();
    assertThat(limiter.acquire("k", 10, null, 1).allowed()).isFalse();
  }

  @Test
  void oneRequest_resetsInSixSeconds_andBucketRefillsSmoothly() {
    Decision d = limiter.acquire("k", 10, null, 1);
    assertThat(d.headers()).containsEntry("x-ratelimit-reset-requests", "6s")
        .containsEntry("x-ratelimit-remaining-requests", "9");
    advance(Duration.ofSeconds(3));
    Decision d2 = limiter.acquire("k", 10, null, 1);
    assertThat(d2.requests()).isEqualTo(new Window(10, 8, Duration.ofSeconds(9)));
  }

  @Test
  void images_countN_andRetryAfterIsUntilTheyFit() {
    assertThat(limiter.acquire("k", null, 10, 4).images()).isEqualTo(new Window(10, 6, Duration.ofSeconds(24)));
    assertThat(limiter.acquire("k", null, 10, 6).images().remaining()).isZero();
    Decision refused = limiter.acquire("k", null, 10, 3);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(18));
    assertThat(refused.requests()).isNull();
  }

  @Test
  void refusedByImages_takesNoRequest_andRefusedByRequests_takesNoImages() {
    assertThat(limiter.acquire("k", 2, 4, 4).allowed()).isTrue();
    for (int i = 0; i < 5; i++) {
      Decision d = limiter.acquire("k", 2, 4, 1);
      assertThat(d.allowed()).isFalse();
      assertThat(d.requests().remaining()).isEqualTo(1);
    }
    assertThat(limiter.acquire("k", 2, 4, 0).allowed()).isTrue();
    Decision byRequests = limiter.acquire("other", 1, 4, 1);
    assertThat(byRequests.allowed()).isTrue();
    Decision refused = limiter.acquire("other", 1, 4, 1);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.images().remaining()).isEqualTo(3);
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void moreImagesThanIpm_neverPass_retryAfterSixtySeconds() {
    Decision d = limiter.acquire("k", 10, 4, 5);
    assertThat(d.allowed()).isFalse();
    assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.requests().remaining()).isEqualTo(10);
    assertThat(d.images().remaining()).isEqualTo(4);
    advance(Duration.ofMinutes(5));
    assertThat(limiter.acquire("k", 10, 4, 5).allowed()).isFalse();
  }

  @Test
  void unlimited_alwaysAllowed_withoutHeaders() {
    for (int i = 0; i < 1000; i++) {
      Decision d = limiter.acquire("k", null, null, 10);
      assertThat(d.allowed()).isTrue();
      assertThat(d.headers()).isEmpty();
    }
  }

  @Test
  void keys_areIndependent() {
    assertThat(limiter.acquire("a", 1, null, 1).allowed()).isTrue();
    assertThat(limiter.acquire("a", 1, null, 1).allowed()).isFalse();
    assertThat(limiter.acquire("b", 1, null, 1).allowed()).isTrue();
  }

  @Test
  void limitThatDoesNotDivideAMinute_allowsExactlyTheLimit() {
    int allowed = 0;
    for (int i = 0; i < 20; i++) if (limiter.acquire("k", 7, null, 1).allowed()) allowed++;
    assertThat(allowed).isEqualTo(7);
    advance(Duration.ofMinutes(1));
    allowed = 0;
    for (int i = 0; i < 20; i++) if (limiter.acquire("k", 7, null, 1).allowed()) allowed++;
    assertThat(allowed).isEqualTo(7);
  }

  @Test
  void idleKeys_areEvicted() {
    for (int i = 0; i < 500; i++) limiter.acquire("k" + i, 5, 5, 1);
    assertThat(limiter.size()).isEqualTo(500);
    advance(Duration.ofMinutes(2).plusNanos(1));
    assertThat(limiter.acquire("fresh", 5, 5, 1).allowed()).isTrue();
    assertThat(limiter.size()).isEqualTo(1);
  }

  @Test
  void badArguments_areRejected() {
    assertThatThrownBy(() -> limiter.acquire("k", 0, null, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.acquire("k", null, 50_000_001, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.acquire("k", 1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.acquire(null, 1, 1, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void largestLimit_doesNotOverflow() {
    int max = 50_000_000;
    Decision d = limiter.acquire("k", max, max, max);
    assertThat(d.allowed()).isTrue();
    assertThat(d.images().remaining()).isZero();
    assertThat(d.requests().remaining()).isEqualTo(max - 1);
    assertThat(limiter.acquire("k", max, max, 1).retryAfter()).isEqualTo(Duration.ofNanos(1200)); // 60 s / 5e7
  }
}
