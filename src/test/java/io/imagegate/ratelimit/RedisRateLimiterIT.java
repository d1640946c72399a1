package io.imagegate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import io.imagegate.store.Redis;
import io.imagegate.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared limiter on a real Redis, with two clients standing for two gateway instances. */
class RedisRateLimiterIT {
  private Redis one;
  private Redis two;

  @BeforeEach
  void connect() {
    String prefix = TestRedis.get().newPrefix();
    one = Redis.connect(TestRedis.get().url(), prefix);
    two = Redis.connect(TestRedis.get().url(), prefix);
  }

  @AfterEach
  void close() {
    one.close();
    two.close();
  }

  @Test
  void concurrentAcquiresFromTwoInstances_allowExactlyTheLimit() throws Exception {
    RateLimiter a = new RedisRateLimiter(one);
    RateLimiter b = new RedisRateLimiter(two);
    List<Callable<Boolean>> calls = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      RateLimiter l = i % 2 == 0 ? a : b;
      calls.add(() -> l.acquire("key-1", 10, null, 1).allowed());
    }
    int allowed = 0;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<Boolean> f : pool.invokeAll(calls)) if (f.get()) allowed++;
    }
    assertThat(allowed).isEqualTo(10);
    Decision refused = a.acquire("key-1", 10, null, 1);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.requests().remaining()).isZero();
    // One unit comes back every 6 s at 10/min; the wait says so, within what the test itself took.
    assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(6));
    assertThat(refused.headers()).containsEntry("x-ratelimit-limit-requests", "10");
  }

  @Test
  void bothBudgetsOrNeither_andImagesCountN() {
    RateLimiter l = new RedisRateLimiter(one);
    Decision first = l.acquire("key-2", 100, 5, 3);
    assertThat(first.allowed()).isTrue();
    assertThat(first.requests().remaining()).isEqualTo(99);
    assertThat(first.images().remaining()).isEqualTo(2);
    Decision second = l.acquire("key-2", 100, 5, 3); // 3 images do not fit in the 2 left
    assertThat(second.allowed()).isFalse();
    assertThat(second.requests().remaining()).as("the refused request took no request unit").isEqualTo(99);
    Decision small = new RedisRateLimiter(two).acquire("key-2", 100, 5, 2);
    assertThat(small.allowed()).isTrue();
    assertThat(small.images().remaining()).isZero();
    Decision never = l.acquire("key-2", 100, 5, 6);
    assertThat(never.allowed()).isFalse();
    assertThat(never.retryAfter()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void unlimitedKey_touchesNothing_andKeysAreApart() {
    RateLimiter l = new RedisRateLimiter(one);
    assertThat(l.acquire("key-3", null, null, 10).allowed()).isTrue();
    assertThat(l.acquire("key-4", 1, null, 1).allowed()).isTrue();
    assertThat(l.acquire("key-4", 1, null, 1).allowed()).isFalse();
    assertThat(l.acquire("key-5", 1, null, 1).allowed()).isTrue();
  }

  @Test
  void redisDown_refusesWith503_neverLetsThrough() {
    Redis gone = Redis.connect(TestRedis.get().url(), "gone:");
    gone.close();
    assertThatThrownBy(() -> new RedisRateLimiter(gone).acquire("key-6", 10, null, 1))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
  }

  @Test
  void connect_toNothing_failsWithAClearMessageWithoutThePassword() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "redis://default:hunter2@127.0.0.1:" + port + "/0";
    assertThatThrownBy(() -> Redis.connect(url, "x:")).isInstanceOf(IllegalStateException.class)
        .hasMessage("Redis at 127.0.0.1:" + port + "/0 does not answer");
  }
}
