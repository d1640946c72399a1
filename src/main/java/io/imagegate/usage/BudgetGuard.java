package io.imagegate.usage;

import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Budget;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a key's spend within its budget however many requests run at once: each request reserves its worst
 * case before any upstream call, under the key's lock, against what the ledger already holds for the period
 * plus what other requests have reserved; the reservation is released once the real charge is in the ledger
 * (or the request failed and costs nothing).
 *
 * <p>Implementation notes: the spend is read from the ledger while holding the key's lock, and a reservation is
 * released in the same locked step that commits its ledger row, so ledger + reservations always equals what is
 * spent or may yet be spent, never less and never counted twice. The
 * lock is in this process: several instances need the Redis-backed version (a later step).
 */
public final class BudgetGuard {
  private final JdbcUsageLedger ledger;
  private final Clock clock;
  private final ConcurrentHashMap<String, double[]> reserved = new ConcurrentHashMap<>();

  public BudgetGuard(JdbcUsageLedger ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  /** A held reservation of a key's budget. */
  public interface Reservation extends AutoCloseable {
    /**
     * Records the real charge and gives the reservation back in one step under the key's lock, so that no
     * other request ever sees the charge twice (in the ledger and still held) or not at all.
     */
    void settle(Runnable recordCharge);

    /** Gives the reservation back if it was not settled (the request failed: it costs nothing). */
    @Override
    void close();
  }

  private static final Reservation NONE = new Reservation() {
    @Override
    public void settle(Runnable recordCharge) { recordCharge.run(); }

    @Override
    public void close() { }
  };

  /** Reserves {@code worstCaseUsd} of the key's budget, or refuses with 429 {@code insufficient_quota}. */
  public Reservation reserve(ApiKey key, double worstCaseUsd) {
    Budget budget = key.budget();
    if (budget == null) return NONE;
    double[] held = reserved.computeIfAbsent(key.id(), id -> new double[1]);
    synchronized (held) {
      double spent = ledger.spend(key.id(), periodStart(budget.period()), null);
      if (spent + held[0] + worstCaseUsd > budget.usd() + 1e-12) {
        throw new ApiException(429, "insufficient_quota", null, "insufficient_quota", String.format(Locale.ROOT,
            "This API key's %s budget of $%.2f is spent ($%.4f used, $%.4f held by requests in flight; this request"
                + " may cost up to $%.4f). Ask the gateway's admin to raise it.", budget.period().wire(), budget.usd(),
            spent, held[0], worstCaseUsd));
      }
      held[0] += worstCaseUsd;
    }
    return new Reservation() {
      private boolean released;

      @Override
      public void settle(Runnable recordCharge) {
        synchronized (held) {
          recordCharge.run(); // if this throws, close() still gives the reservation back
          release();
        }
      }

      @Override
      public void close() {
        synchronized (held) {
          release();
        }
      }

      private void release() {
        if (released) return;
        released = true;
        held[0] = Math.max(0, held[0] - worstCaseUsd);
      }
    };
  }

  private Instant periodStart(Budget.Period period) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    return switch (period) {
      case TOTAL -> null;
      case DAILY -> today.atStartOfDay(ZoneOffset.UTC).toInstant();
      case MONTHLY -> today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    };
  }
}
