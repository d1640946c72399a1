package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Budget;
import io.imagegate.store.Database;
import io.imagegate.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBudgetGuardTest {
  private static final Instant T0 = Instant.parse("2026-11-26T23:00:00Z");
  @TempDir Path tmp;
  private Database db;
  private JdbcUsageLedger ledger;
  private final MutableClock clock = new MutableClock(T0);

  @BeforeEach
  void open() {
    db = Database.open("jdbc:sqlite:" + tmp.resolve("b.db"));
    ledger = new JdbcUsageLedger(db.dataSource());
  }

  @AfterEach
  void close() {
    ledger.close();
    db.close();
  }

  @Test
  void spendComesFromTheLedgerOnce_thenFromSettledCharges() {
    ApiKey key = key(0.10, Budget.Period.DAILY);
    ledger.record(entry(key, 0.06, T0.minusSeconds(60)));
    LocalBudgetGuard guard = new LocalBudgetGuard(ledger, clock);
    try (BudgetGuard.Reservation r = guard.reserve(key, 0.03)) {
      r.settle(0.02, () -> ledger.record(entry(key, 0.02, T0)));
    }
    // 0.08 spent: 0.03 no longer fits, 0.02 does.
    assertThatThrownBy(() -> guard.reserve(key, 0.03)).isInstanceOf(ApiException.class)
        .hasMessageContaining("$0.0800 used");
    guard.reserve(key, 0.02).close();
  }

  @Test
  void aNewDay_startsFromWhatTheLedgerHoldsForIt() {
    ApiKey key = key(0.10, Budget.Period.DAILY);
    LocalBudgetGuard guard = new LocalBudgetGuard(ledger, clock);
    try (BudgetGuard.Reservation r = guard.reserve(key, 0.10)) {
      r.settle(0.10, () -> ledger.record(entry(key, 0.10, T0)));
    }
    assertThatThrownBy(() -> guard.reserve(key, 0.01)).isInstanceOf(ApiException.class);
    clock.advance(Duration.ofHours(2)); // past midnight UTC
    guard.reserve(key, 0.10).close();
  }

  @Test
  void aFailedRequest_andAFailedRecord_costNothing() {
    ApiKey key = key(0.05, Budget.Period.TOTAL);
    LocalBudgetGuard guard = new LocalBudgetGuard(ledger, clock);
    guard.reserve(key, 0.05).close();
    try (BudgetGuard.Reservation r = guard.reserve(key, 0.05)) {
      assertThatThrownBy(() -> r.settle(0.05, () -> { throw new IllegalStateException("disk full"); }))
          .hasMessage("disk full");
    }
    guard.reserve(key, 0.05).close();
  }

  private static ApiKey key(double usd, Budget.Period period) {
    return new ApiKey("key-" + UUID.randomUUID(), "b", null, "sk-ig-x", List.of(), List.of("images"), null, null,
        new Budget(usd, period), null, false, T0, null);
  }

  private static LedgerEntry entry(ApiKey key, double cost, Instant at) {
    return new LedgerEntry(at, "req-" + UUID.randomUUID(), key.id(), "gpt-image-2", "local", "local", "generations",
        "1024x1024", "low", 1, 1, 10, 0, 196, cost, 200, null, 5, null, null);
  }
}
