package io.imagegate.ratelimit;

import io.imagegate.api.ApiException;
import io.imagegate.store.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link RateLimiter} shared by every instance on one Redis: the same two token buckets per key as
 * {@link InMemoryRateLimiter} (GCRA: a debt that drains by {@code limit} per unit of time), kept in one Redis
 * hash per key and checked and taken by one Lua script, so both budgets move together and no two instances
 * ever both take the last unit. Time is Redis's own clock ({@code TIME}), so instances with skewed clocks
 * still agree. A key's hash expires two minutes after its last use, when both buckets are full anyway.
 *
 * <p>Implementation notes: amounts are in microseconds of debt (one unit spent adds one minute, 6e7 µs), so
 * the largest debt, {@code 50,000,000 × 6e7}, stays below 2^53 and exact in Lua's doubles; values are written
 * back with {@code %.0f} because Lua's own number formatting rounds past 14 digits.
 */
public final class RedisRateLimiter implements RateLimiter {
  static final long WINDOW_MICROS = 60_000_000L;
  private static final Duration NEVER_RETRY = Duration.ofMinutes(1);
  private static final Redis.Script ACQUIRE = Redis.Script.of("""
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local W = 60000000
      local rpm, ipm, images = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
      local s = redis.call('HMGET', KEYS[1], 'rd', 'ra', 'id', 'ia')
      local function drain(debt, asof, limit)
        debt = tonumber(debt) or 0
        asof = tonumber(asof) or now
        local elapsed = now - asof
        if elapsed <= 0 then return debt, asof end
        if elapsed * limit >= debt then return 0, now end
        return debt - elapsed * limit, now
      end
      local function wait(debt, cost, limit)
        if cost > limit then return -1 end
        local excess = debt + cost * W - limit * W
        if excess <= 0 then return 0 end
        return math.ceil(excess / limit)
      end
      local rd, ra, id, ia = 0, now, 0, now
      if rpm > 0 then rd, ra = drain(s[1], s[2], rpm) end
      if ipm > 0 then id, ia = drain(s[3], s[4], ipm) end
      local rw, iw = 0, 0
      if rpm > 0 then rw = wait(rd, 1, rpm) end
      if ipm > 0 then iw = wait(id, images, ipm) end
      local allowed = 0
      if rw == 0 and iw == 0 then
        allowed = 1
        if rpm > 0 then rd = rd + W end
        if ipm > 0 then id = id + images * W end
      end
      local f = function(x) return string.format('%.0f', x) end
      redis.call('HSET', KEYS[1], 'rd', f(rd), 'ra', f(ra), 'id', f(id), 'ia', f(ia))
      redis.call('PEXPIRE', KEYS[1], 120000)
      return {allowed, f(rd), f(id), f(rw), f(iw)}
      """);

  private final Redis redis;

  public RedisRateLimiter(Redis redis) { this.redis = Objects.requireNonNull(redis, "redis"); }

  /** @throws ApiException 503 {@code counters_unavailable} when Redis fails: limits are never skipped */
  @Override
  public Decision acquire(String keyId, Integer rpm, Integer ipm, int images) {
    LimitArguments.check(keyId, rpm, ipm, images);
    if (rpm == null && ipm == null) return new Decision(true, null, null, null);
    List<?> out;
    try {
      out = (List<?>) redis.run(ACQUIRE, List.of(redis.prefix() + "rl:" + keyId),
          List.of(Integer.toString(rpm == null ? 0 : rpm), Integer.toString(ipm == null ? 0 : ipm),
              Integer.toString(images)));
    } catch (JedisException e) {
      throw new ApiException(503, "server_error", null, "counters_unavailable", "The gateway cannot reach the"
          + " store of its rate limits (Redis) right now, so it does not let the request through. Retry shortly.");
    }
    boolean allowed = Redis.asLong(out.get(0)) == 1;
    long requestDebt = Redis.asLong(out.get(1));
    long imageDebt = Redis.asLong(out.get(2));
    long requestWait = Redis.asLong(out.get(3));
    long imageWait = Redis.asLong(out.get(4));
    Duration retry = allowed ? null
        : imageWait < 0 ? NEVER_RETRY : Duration.ofNanos(Math.max(1, Math.max(requestWait, imageWait)) * 1000);
    return new Decision(allowed, rpm == null ? null : window(requestDebt, rpm),
        ipm == null ? null : window(imageDebt, ipm), retry);
  }

  private static Window window(long debtMicros, int limit) {
    long remaining = Math.max(0, ((long) limit * WINDOW_MICROS - debtMicros) / WINDOW_MICROS);
    return new Window(limit, (int) Math.min(limit, remaining),
        Duration.ofNanos(Math.ceilDiv(Math.max(0, debtMicros), limit) * 1000));
  }
}
