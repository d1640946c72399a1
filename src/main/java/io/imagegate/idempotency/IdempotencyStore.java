package io.imagegate.idempotency;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency-Key claims in the shared database ({@code idempotency_keys}, SQLite or PostgreSQL) with the
 * answer bodies as files in {@code dir}. Keys are scoped per owner (the API key id), so tenants never see
 * each other's answers. Every instance that shares the database must share {@code dir} too (the data dir on
 * a shared volume); an answer whose body file is missing is treated as never given, and runs again.
 *
 * <p>A claim is an INSERT guarded by the primary key (owner, key): exactly one caller wins, across
 * connections, pools and processes. The winner's {@link Recording} beats a heartbeat every 5 s; a running
 * claim silent for 30 s belongs to a dead process and is taken over. Thread-safe.
 */
public final class IdempotencyStore {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyStore.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Orphan files are swept this long after their row would have expired. */
  private static final long SWEEP_MARGIN_MILLIS = Duration.ofHours(1).toMillis();

  private final ClaimRows rows;
  private final BodyFiles files;
  private final Duration ttl;
  private final Duration waitBound;
  private final Duration pollInterval;
  private final Clock clock;
  private final long staleMillis;
  private final long heartbeatMillis;

  /**
   * @param ttl how long an answer is replayed (24 h)
   * @param waitBound how long a duplicate waits for a running first request before {@link Outcome.StillRunning}
   * @param pollInterval how often a waiting duplicate looks again
   */
  public IdempotencyStore(DataSource db, Path dir, Duration ttl, Duration waitBound, Duration pollInterval) {
    this(db, dir, ttl, waitBound, pollInterval, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  /** For tests: a settable clock and shorter staleness and heartbeat periods. */
  IdempotencyStore(DataSource db, Path dir, Duration ttl, Duration waitBound, Duration pollInterval, Clock clock,
                   Duration staleAfter, Duration heartbeatEvery) {
    this.rows = new ClaimRows(Objects.requireNonNull(db, "db"));
    this.files = new BodyFiles(Objects.requireNonNull(dir, "dir"));
    this.ttl = positive(ttl, "ttl");
    this.waitBound = Objects.requireNonNull(waitBound, "waitBound");
    this.pollInterval = positive(pollInterval, "pollInterval");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.staleMillis = positive(staleAfter, "staleAfter").toMillis();
    this.heartbeatMillis = positive(heartbeatEvery, "heartbeatEvery").toMillis();
  }

  /** Whether {@code key} is a usable Idempotency-Key: 1–255 characters of visible ASCII (0x21–0x7E). */
  public static boolean validKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 255) return false;
    return key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
  }

  /**
   * Claims (owner, key) for a request whose canonical hash is {@code requestHash} (hex), or finds the
   * earlier one. May block up to the wait bound while an identical request runs elsewhere.
   *
   * @param owner the API key id (1–64 chars), never its secret
   * @param requestHash up to 64 chars, normally {@link RequestHash#sha256Hex}
   * @throws IllegalArgumentException for an invalid key (check {@link #validKey} first and answer 400)
   * @throws IllegalStateException when the database fails
   */
  public Outcome begin(String owner, String idempotencyKey, String requestHash) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(requestHash, "requestHash");
    if (!validKey(idempotencyKey)) throw new IllegalArgumentException("invalid Idempotency-Key");
    if (owner.isEmpty() || owner.length() > 64) throw new IllegalArgumentException("owner must be 1-64 chars");
    if (requestHash.isEmpty() || requestHash.length() > 64) throw new IllegalArgumentException("requestHash must be 1-64 chars");
    long deadline = System.nanoTime() + waitBound.toNanos();
    while (true) {
      long now = now();
      String token = HexFormat.of().formatHex(newToken());
      if (rows.insert(owner, idempotencyKey, requestHash, token, now, now + ttl.toMillis())) {
        return new Outcome.Proceed(new Recording(this, owner, idempotencyKey, token, heartbeatMillis));
      }
      ClaimRows.Row row = rows.find(owner, idempotencyKey);
      if (row == null) continue; // released between our insert and our look: claim again
      if (row.expiresAt() <= now) {
        if (rows.delete(owner, idempotencyKey, row.token())) files.delete(owner, idempotencyKey, row.token());
        continue;
      }
      if (!row.requestHash().equals(requestHash)) {
        return new Outcome.Conflict("Idempotency-Key '" + idempotencyKey + "' was already used with a different"
            + " request body; the body differs from the first request with that key. Use a new key.");
      }
      if (ClaimRows.DONE.equals(row.status())) {
        Path body = files.body(owner, idempotencyKey, row.token());
        if (Files.isRegularFile(body)) {
          return new Outcome.Replay(row.httpStatus(), HeadersJson.read(row.headersJson()), body);
        }
        LOG.warn("idempotent answer body is missing (is the directory shared by all instances?); running again");
        rows.delete(owner, idempotencyKey, row.token());
        continue;
      }
      if (row.heartbeatAt() <= now - staleMillis) {
        // The claimant stopped beating: its process died. Take over (guarded, so only one waiter does).
        if (rows.deleteStale(owner, idempotencyKey, row.token(), now - staleMillis)) {
          files.delete(owner, idempotencyKey, row.token());
        }
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new Outcome.StillRunning("A request with Idempotency-Key '" + idempotencyKey + "' is still being"
            + " processed; retry later with the same key to get its answer.");
      }
      sleep(Math.min(pollInterval.toNanos(), left));
    }
  }

  /**
   * Deletes claims (and their body files) created more than the ttl ago, and body files left behind by dead
   * processes; returns the number of claims deleted. Safe to run on every instance at once.
   */
  public int purgeExpired() {
    int count = 0;
    for (ClaimRows.Claim claim : rows.deleteExpired(now())) {
      files.delete(claim.owner(), claim.key(), claim.token());
      count++;
    }
    // File times are wall-clock times, so the sweep compares them with the system clock.
    files.sweep(System.currentTimeMillis() - ttl.toMillis() - SWEEP_MARGIN_MILLIS);
    return count;
  }

  ClaimRows rows() { return rows; }

  BodyFiles files() { return files; }

  long now() { return clock.millis(); }

  private static byte[] newToken() {
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    return token;
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(Duration.ofNanos(nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the first request with this key", e);
    }
  }

  private static Duration positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    return d;
  }
}
