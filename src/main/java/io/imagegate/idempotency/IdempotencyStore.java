package io.imagegate.idempotency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency-Key claims in the shared database ({@code idempotency_keys}, SQLite or PostgreSQL). Keys are
 * scoped per owner (the API key id), so tenants never see each other's answers. An answer is recorded to a
 * temp file in {@code dir} while it streams, then kept:
 * <ul>
 *   <li>on PostgreSQL, in the database ({@code idempotency_bodies}, base64 chunks), copied in the
 *       transaction that marks the claim done: every instance on that database replays it, with no shared
 *       volume, and a done row always has its body;
 *   <li>on SQLite, as a file in {@code dir}. A SQLite file lives on one machine, so the instances that share
 *       it share its data dir too; and copying a 200 MB answer through SQLite's single writer would stall
 *       every other write (keys, usage ledger) for the copy and grow a file that never shrinks.
 * </ul>
 * A replay reads whichever the row names, so rows kept either way stay readable. An answer whose body is
 * missing (a file on another machine) is treated as never given, and runs again.
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
  private final boolean bodiesInDatabase;
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
    this(db, dir, ttl, waitBound, pollInterval, clock, staleAfter, heartbeatEvery, isPostgres(db));
  }

  /** For tests: as above, and where answer bodies are kept (the database, or files in {@code dir}). */
  IdempotencyStore(DataSource db, Path dir, Duration ttl, Duration waitBound, Duration pollInterval, Clock clock,
                   Duration staleAfter, Duration heartbeatEvery, boolean bodiesInDatabase) {
    this.bodiesInDatabase = bodiesInDatabase;
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
        forget(owner, idempotencyKey, row.token());
        continue;
      }
      if (!row.requestHash().equals(requestHash)) {
        return new Outcome.Conflict("Idempotency-Key '" + idempotencyKey + "' was already used with a different"
            + " request body; the body differs from the first request with that key. Use a new key.");
      }
      if (ClaimRows.DONE.equals(row.status())) {
        ReplayBody body = body(owner, idempotencyKey, row);
        if (body != null) return new Outcome.Replay(row.httpStatus(), HeadersJson.read(row.headersJson()), body);
        LOG.warn("idempotent answer body file is missing (is the data dir shared by all instances?); running again");
        forget(owner, idempotencyKey, row.token());
        continue;
      }
      if (row.heartbeatAt() <= now - staleMillis) {
        // The claimant stopped beating: its process died. Take over (guarded, so only one waiter does).
        if (rows.deleteStale(owner, idempotencyKey, row.token(), now - staleMillis)) { // chunks too, if any
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
   * Deletes claims (and their bodies, chunks or files) created more than the ttl ago, body files left behind
   * by dead processes and chunks whose row is gone; returns the number of claims deleted. Safe to run on
   * every instance at once.
   */
  public int purgeExpired() {
    int count = 0;
    for (ClaimRows.Claim claim : rows.deleteExpired(now())) {
      files.delete(claim.owner(), claim.key(), claim.token());
      count++;
    }
    // File times are wall-clock times, so the sweep compares them with the system clock.
    files.sweep(System.currentTimeMillis() - ttl.toMillis() - SWEEP_MARGIN_MILLIS);
    int orphans = rows.chunks().sweepOrphans();
    if (orphans > 0) LOG.warn("deleted {} idempotent answer chunks whose key was gone", orphans);
    return count;
  }

  /**
   * Keeps the {@code recorded} answer as the claim's body and marks the claim done; false when the claim was
   * lost meanwhile, and then nothing is kept. The recorded file is moved or deleted either way.
   */
  boolean keep(String owner, String key, String token, Path recorded, int status, String headersJson)
      throws IOException {
    if (!bodiesInDatabase) {
      files.keep(recorded, owner, key, token);
      return rows.complete(owner, key, token, status, headersJson, now());
    }
    try {
      return rows.complete(owner, key, token, status, headersJson, now(), recorded);
    } finally {
      BodyFiles.deleteQuietly(recorded);
    }
  }

  /** Deletes a claim with its body, if it is still {@code token}'s. */
  void forget(String owner, String key, String token) {
    files.delete(owner, key, token);
    rows.delete(owner, key, token);
  }

  /** The done row's body, or null when it is a file that is not here. */
  private ReplayBody body(String owner, String key, ClaimRows.Row row) {
    if (row.bodyChunks() != null) {
      return rows.chunks().body(new ClaimRows.Claim(owner, key, row.token()), row.bodyChunks(), row.bodyBytes());
    }
    Path file = files.body(owner, key, row.token());
    return Files.isRegularFile(file) ? () -> Files.newInputStream(file) : null;
  }

  private static boolean isPostgres(DataSource db) {
    try (Connection c = db.getConnection()) {
      return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
    }
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
