package io.imagegate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterConcurrencyTest {

  @Test
  void sixtyFourThreads_frozenClock_exactlyTheLimitPasses() throws Exception {
    InMemoryRateLimiter limiter = new InMemoryRateLimiter(() -> 42L);
    AtomicInteger allowed = new AtomicInteger();
    AtomicInteger imagesAllowed = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 100; i++) {
            if (limiter.acquire("k", 1000, null, 1).allowed()) allowed.incrementAndGet();
            if (limiter.acquire("img", 100_000, 3000, 2).allowed()) imagesAllowed.incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(allowed).hasValue(1000);
    assertThat(imagesAllowed).hasValue(1500);
  }
}
