package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Budget;
import io.imagegate.store.Database;
import io.imagegate.store.Redis;
import io.imagegate.testing.TestPostgres;
import io.imagegate.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Budgets shared through a real Redis, spend settled into a real PostgreSQL ledger, two guards as two instances. */
class RedisBudgetGuardIT {
  private static final AtomicInteger IDS = new AtomicInteger();
  private Database db;
  private JdbcUsageLedger ledger;
  private Redis one;
  private Redis two;

  @BeforeEach
  void open() {
    db = Database.open(TestPostgres.get().newDatabase());
    ledger = new JdbcUsageLedger(db.dataSource());
    String prefix = TestRedis.get().newPrefix();
    one = Redis.connect(TestRedis.get().url(), prefix);
    two = Redis.connect(TestRedis.get().url(), prefix);
  }

  @AfterEach
  void close() {
    one.close();
    two.close();
    ledger.close();
    db.close();
  }

  @Test
  void concurrentRequestsOnTwoInstances_neverPassTheBudget() throws Exception {
    BudgetGuard a = guard(one, Duration.ofMinutes(5));
    BudgetGuard b = guard(two, Duration.ofMinutes(5));
    ApiKey key = key("k1", 1.0, Budget.Period.TOTAL);
    List<Callable<Boolean>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      BudgetGuard g = i % 2 == 0 ? a : b;
      calls.add(() -> {
        try (BudgetGuard.Reservation r = g.reserve(key, 0.04)) { // worst case 0.04, real charge 0.03
          r.settle(0.03, () -> ledger.record(entry(key, 0.03)));
          return true;
        } catch (ApiException e) {
          assertThat(e.status()).isEqualTo(429);
          return false;
        }
      });
    }
    int ok = 0;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<Boolean> f : pool.invokeAll(calls)) if (f.get()) ok++;
    }
    double spent = ledger.spend(key.id(), null, null);
    assertThat(spent).isLessThanOrEqualTo(1.0 + 1e-9);
    // Each success spends 0.03 but holds 0.04 while it runs, so refusals depend on the overlap: between 25 (all
    // held at once) and 33 (one after another: 0.96 spent + 0.04 held fits, 0.99 + 0.04 does not).
    assertThat(ok).isBetween(25, 33);
    assertThat(spent).isCloseTo(ok * 0.03, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void spendIsSeededFromTheLedger_andFailedRequestsGiveTheirHoldBack() {
    ApiKey key = key("k2", 0.10, Budget.Period.DAILY);
    ledger.record(entry(key, 0.07)); // spent before any instance used Redis for this key
    BudgetGuard a = guard(one, Duration.ofMinutes(5));
    assertThatThrownBy(() -> a.reserve(key, 0.04)).isInstanceOf(ApiException.class)
        .hasMessageContaining("daily budget of $0.10");
    BudgetGuard.Reservation held = a.reserve(key, 0.03);
    assertThatThrownBy(() -> guard(two, Duration.ofMinutes(5)).reserve(key, 0.01)).isInstanceOf(ApiException.class);
    held.close(); // failed: costs nothing
    guard(two, Duration.ofMinutes(5)).reserve(key, 0.01).close();
  }

  @Test
  void aReservationOfADeadInstance_expires() throws Exception {
    ApiKey key = key("k3", 0.10, Budget.Period.MONTHLY);
    guard(one, Duration.ofMillis(300)).reserve(key, 0.10); // never settled nor closed: its instance "died"
    assertThatThrownBy(() -> guard(two, Duration.ofMillis(300)).reserve(key, 0.01)).isInstanceOf(ApiException.class);
    Thread.sleep(400);
    guard(two, Duration.ofMillis(300)).reserve(key, 0.10).close();
  }

  @Test
  void aChargeThatFailsToRecord_isNotCounted() {
    ApiKey key = key("k4", 0.05, Budget.Period.TOTAL);
    BudgetGuard a = guard(one, Duration.ofMinutes(5));
    try (BudgetGuard.Reservation r = a.reserve(key, 0.05)) {
      assertThatThrownBy(() -> r.settle(0.05, () -> { throw new IllegalStateException("ledger down"); }))
          .hasMessage("ledger down");
    }
    a.reserve(key, 0.05).close(); // the whole budget is free again
  }

  private BudgetGuard guard(Redis redis, Duration holdFor) {
    return new RedisBudgetGuard(redis, ledger, Clock.systemUTC(), holdFor);
  }

  private static ApiKey key(String id, double usd, Budget.Period period) {
    return new ApiKey(id + "-" + IDS.incrementAndGet(), "budgeted", null, "sk-ig-test", List.of(), List.of("images"),
        null, null, new Budget(usd, period), null, false, Instant.now(), null);
  }

  private static LedgerEntry entry(ApiKey key, double cost) {
    return new LedgerEntry(Instant.now(), "req-" + java.util.UUID.randomUUID(), key.id(), "gpt-image-2", "local",
        "local", "generations", "1024x1024", "low", 1, 1, 10, 0, 196, cost, 200, null, 5, null, null);
  }
}
