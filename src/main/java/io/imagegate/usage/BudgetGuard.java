package io.imagegate.usage;

import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Budget;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Keeps a key's spend within its budget however many requests run at once: each request reserves its worst
 * case before any upstream call; the reservation is given back once the real charge is in the ledger, or the
 * request failed and costs nothing. {@link LocalBudgetGuard} does it for one instance, {@link RedisBudgetGuard}
 * for every instance sharing a Redis.
 */
public interface BudgetGuard {

  /** A held reservation of a key's budget. */
  interface Reservation extends AutoCloseable {
    /**
     * Records the real charge ({@code recordCharge} commits the ledger row) and gives the reservation back,
     * so that the charge is never missed by a later check and counted twice at most while this runs.
     *
     * @param costUsd the real charge, as recorded
     */
    void settle(double costUsd, Runnable recordCharge);

    /** Gives the reservation back if it was not settled (the request failed: it costs nothing). */
    @Override
    void close();
  }

  /** The reservation of a key without a budget: nothing held, the charge simply recorded. */
  Reservation NONE = new Reservation() {
    @Override
    public void settle(double costUsd, Runnable recordCharge) { recordCharge.run(); }

    @Override
    public void close() { }
  };

  /**
   * Reserves {@code worstCaseUsd} of the key's budget.
   *
   * @throws ApiException 429 {@code insufficient_quota} when it does not fit; 503 when the shared store fails
   */
  Reservation reserve(ApiKey key, double worstCaseUsd);

  /** The first instant of the budget's current period (UTC), or null for a total budget. */
  static Instant periodStart(Budget.Period period, Clock clock) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    return switch (period) {
      case TOTAL -> null;
      case DAILY -> today.atStartOfDay(ZoneOffset.UTC).toInstant();
      case MONTHLY -> today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    };
  }

  /** The 429 for a request that does not fit. */
  static ApiException spent(Budget budget, double spent, double held, double worstCaseUsd) {
    return new ApiException(429, "insufficient_quota", null, "insufficient_quota", String.format(Locale.ROOT,
        "This API key's %s budget of $%.2f is spent ($%.4f used, $%.4f held by requests in flight; this request"
            + " may cost up to $%.4f). Ask the gateway's admin to raise it.", budget.period().wire(), budget.usd(),
        spent, held, worstCaseUsd));
  }
}
