package io.imagegate.usage;

import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Budget;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link BudgetGuard} for one instance: each request reserves its worst case under the key's lock, against
 * what the key spent in the period plus what other requests have reserved.
 *
 * <p>Implementation notes: the spend of a key's current period is read from the ledger once (when the key, its
 * budget period or the period itself is new to this process) and then kept up to date by each settled charge,
 * so a check costs no query however long the ledger grows. A reservation is released in the same locked step
 * that commits its ledger row and adds its charge, so spend + reservations always equals what is spent or may
 * yet be spent, never less and never counted twice. The lock and the counts are in this process: several
 * instances use {@link RedisBudgetGuard}.
 */
public final class LocalBudgetGuard implements BudgetGuard {
  private final JdbcUsageLedger ledger;
  private final Clock clock;
  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

  /** A key's spend in {@code period} starting at {@code from}, and what requests in flight hold; under its lock. */
  private static final class State {
    Budget.Period period;
    Instant from;
    double spent;
    double held;
  }

  public LocalBudgetGuard(JdbcUsageLedger ledger, Clock clock) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Reservation reserve(ApiKey key, double worstCaseUsd) {
    Budget budget = key.budget();
    if (budget == null) return NONE;
    State state = states.computeIfAbsent(key.id(), id -> new State());
    synchronized (state) {
      current(state, key.id(), budget.period());
      if (state.spent + state.held + worstCaseUsd > budget.usd() + 1e-12) {
        throw BudgetGuard.spent(budget, state.spent, state.held, worstCaseUsd);
      }
      state.held += worstCaseUsd;
    }
    return new Reservation() {
      private boolean released;

      @Override
      public void settle(double costUsd, Runnable recordCharge) {
        synchronized (state) {
          recordCharge.run(); // if this throws, close() still gives the reservation back
          if (!released) state.spent += costUsd;
          release();
        }
      }

      @Override
      public void close() {
        synchronized (state) {
          release();
        }
      }

      private void release() {
        if (released) return;
        released = true;
        state.held = Math.max(0, state.held - worstCaseUsd);
      }
    };
  }

  /** Brings the state to the period now in force, reading the ledger when it changed. */
  private void current(State state, String keyId, Budget.Period period) {
    Instant from = BudgetGuard.periodStart(period, clock);
    if (period == state.period && Objects.equals(from, state.from)) return;
    state.spent = ledger.spend(keyId, from, null);
    state.period = period;
    state.from = from;
  }
}
