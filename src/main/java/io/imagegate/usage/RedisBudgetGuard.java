package io.imagegate.usage;

import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.auth.Budget;
import io.imagegate.store.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link BudgetGuard} shared by every instance on one Redis. Per key and budget period, one Redis hash holds
 * {@code spent} (settled charges) and one field per reservation in flight ({@code r:<id>} → amount and expiry);
 * reserve and settle are Lua scripts, so the check "spent + held + this request ≤ budget" and the take are one
 * atomic step across instances.
 *
 * <p>Implementation notes: amounts are integer nano-dollars (exact in Lua up to $9,000,000). {@code spent} is
 * seeded from the ledger (the source of truth, shared on PostgreSQL) the first time a period is seen, and
 * grows by each settled charge after its ledger row is committed; until then the reservation still counts it,
 * so a charge is never missing from a check (it may count twice for those few milliseconds, which only errs
 * towards refusing). A reservation whose instance died expires after {@code holdFor}. The hash lives a week
 * past its last use (a day or a month for periodic budgets, past the period's end), then is seeded afresh.
 * Redis losing its data while requests are in flight forgets their reservations: run it with persistence.
 */
public final class RedisBudgetGuard implements BudgetGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBudgetGuard.class);
  private static final double NANOS_PER_USD = 1e9;
  private static final Redis.Script RESERVE = Redis.Script.of("""
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local spent = redis.call('HGET', KEYS[1], 'spent')
      if not spent then
        if tonumber(ARGV[1]) < 0 then return {-1, '0', '0'} end
        spent = ARGV[1]
        redis.call('HSET', KEYS[1], 'spent', spent)
      end
      spent = tonumber(spent)
      local held = 0
      local all = redis.call('HGETALL', KEYS[1])
      for i = 1, #all, 2 do
        local field = all[i]
        if string.sub(field, 1, 2) == 'r:' then
          local value = all[i + 1]
          local sep = string.find(value, ':', 1, true)
          if tonumber(string.sub(value, sep + 1)) <= now then
            redis.call('HDEL', KEYS[1], field)
          else
            held = held + tonumber(string.sub(value, 1, sep - 1))
          end
        end
      end
      local amount, budget = tonumber(ARGV[2]), tonumber(ARGV[3])
      local f = function(x) return string.format('%.0f', x) end
      redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
      if spent + held + amount > budget then return {0, f(spent), f(held)} end
      redis.call('HSET', KEYS[1], 'r:' .. ARGV[4], f(amount) .. ':' .. f(now + tonumber(ARGV[5])))
      return {1, f(spent), f(held)}
      """);
  private static final Redis.Script SETTLE = Redis.Script.of("""
      local had = redis.call('HDEL', KEYS[1], 'r:' .. ARGV[1])
      if redis.call('HEXISTS', KEYS[1], 'spent') == 1 then
        redis.call('HINCRBY', KEYS[1], 'spent', ARGV[2])
      end
      return had
      """);
  private static final Redis.Script RELEASE = Redis.Script.of("return redis.call('HDEL', KEYS[1], 'r:' .. ARGV[1])");

  private final Redis redis;
  private final JdbcUsageLedger ledger;
  private final Clock clock;
  private final Duration holdFor;

  /**
   * @param holdFor how long a reservation may be held: longer than any request (upstream deadline plus the
   *     time to send the answer), since an expired one no longer counts
   */
  public RedisBudgetGuard(Redis redis, JdbcUsageLedger ledger, Clock clock, Duration holdFor) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.holdFor = Objects.requireNonNull(holdFor, "holdFor");
  }

  @Override
  public Reservation reserve(ApiKey key, double worstCaseUsd) {
    Budget budget = key.budget();
    if (budget == null) return NONE;
    String hash = redis.prefix() + "budget:" + key.id() + ":" + periodTag(budget.period());
    String id = UUID.randomUUID().toString();
    long amount = nanos(worstCaseUsd);
    List<?> out = reserve(hash, -1, amount, budget, id);
    if (Redis.asLong(out.get(0)) == -1) {
      long seed = nanos(ledger.spend(key.id(), BudgetGuard.periodStart(budget.period(), clock), null));
      out = reserve(hash, seed, amount, budget, id);
    }
    if (Redis.asLong(out.get(0)) != 1) {
      throw BudgetGuard.spent(budget, Redis.asLong(out.get(1)) / NANOS_PER_USD, Redis.asLong(out.get(2)) / NANOS_PER_USD,
          worstCaseUsd);
    }
    return new Reservation() {
      private boolean done;

      @Override
      public synchronized void settle(double costUsd, Runnable recordCharge) {
        recordCharge.run(); // if this throws, close() gives the reservation back: nothing was charged
        done = true;
        try {
          redis.run(SETTLE, List.of(hash), List.of(id, Long.toString(nanos(costUsd))));
        } catch (JedisException e) {
          // The charge is in the ledger; the reservation (worth at least as much) counts it until it expires.
          LOG.warn("could not settle a budget reservation in Redis: {}", e.getMessage());
        }
      }

      @Override
      public synchronized void close() {
        if (done) return;
        done = true;
        try {
          redis.run(RELEASE, List.of(hash), List.of(id));
        } catch (JedisException e) {
          LOG.warn("could not release a budget reservation in Redis (it expires by itself): {}", e.getMessage());
        }
      }
    };
  }

  private List<?> reserve(String hash, long seed, long amount, Budget budget, String id) {
    try {
      return (List<?>) redis.run(RESERVE, List.of(hash), List.of(Long.toString(seed), Long.toString(amount),
          Long.toString(nanos(budget.usd())), id, Long.toString(holdFor.toMillis()),
          Long.toString(ttl(budget.period()).toSeconds())));
    } catch (JedisException e) {
      throw new ApiException(503, "server_error", null, "counters_unavailable", "The gateway cannot reach the"
          + " store of its budgets (Redis) right now, so it does not let the request through. Retry shortly.");
    }
  }

  /** The period in the hash key (its kind and first instant), so that a new day or month starts from nothing. */
  private String periodTag(Budget.Period period) {
    java.time.Instant start = BudgetGuard.periodStart(period, clock);
    return period.name().toLowerCase(java.util.Locale.ROOT) + (start == null ? "" : "@" + start.toEpochMilli());
  }

  private Duration ttl(Budget.Period period) {
    Duration base = switch (period) {
      case TOTAL -> Duration.ofDays(7);
      case DAILY -> Duration.ofDays(2);
      case MONTHLY -> Duration.ofDays(32);
    };
    return base.plus(holdFor);
  }

  private static long nanos(double usd) { return Math.round(usd * NANOS_PER_USD); }
}
