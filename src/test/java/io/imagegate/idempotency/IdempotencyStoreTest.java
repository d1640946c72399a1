package io.imagegate.idempotency;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.testing.MutableClock;
import io.imagegate.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Claims on both databases: first use, replay, conflicts, waiting, take-over, expiry, several instances. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class IdempotencyStoreTest extends IdempotencyStoreFixture {
  @Test
  void begin_firstTime_proceeds() {
    proceed(store(db).begin("key_a", "k1", HASH));
  }

  @Test
  void begin_afterComplete_replaysTheSameBytesAndHeaders() throws Exception {
    IdempotencyStore store = store(db);
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    try (Recording rec = proceed(store.begin("key_a", "k1", HASH))) {
      OutputStream out = rec.tee(client);
      out.write(ANSWER, 0, 10);
      out.write(ANSWER[10]);
      out.write(ANSWER, 11, ANSWER.length - 11);
      out.close();
      rec.complete(200, HEADERS);
    }
    assertThat(client.toByteArray()).isEqualTo(ANSWER);

    Outcome again = store.begin("key_a", "k1", HASH);
    assertThat(again).isInstanceOf(Outcome.Replay.class);
    Outcome.Replay replay = (Outcome.Replay) again;
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.headers()).isEqualTo(HEADERS);
    assertThat(bytes(replay.body())).isEqualTo(ANSWER);
    assertThat(bytes(replay.body())).as("a body can be read again").isEqualTo(ANSWER);
    assertThat(tmpFiles()).isEmpty();
    assertThat(storedBodies()).isEqualTo(1);
  }

  @Test
  void tee_closingTheWrapper_leavesTheClientStreamOpen() throws Exception {
    boolean[] closed = {false};
    OutputStream client = new ByteArrayOutputStream() {
      @Override public void close() { closed[0] = true; }
    };
    try (Recording rec = proceed(store(db).begin("key_a", "k1", HASH))) {
      rec.tee(client).close();
    }
    assertThat(closed[0]).isFalse();
  }

  @Test
  void begin_sameKeyDifferentBody_conflictsAndNamesTheKey() {
    IdempotencyStore store = store(db);
    complete(store, "key_a", "order-42", HASH);
    Outcome outcome = store.begin("key_a", "order-42", OTHER_HASH);
    assertThat(outcome).isInstanceOf(Outcome.Conflict.class);
    assertThat(((Outcome.Conflict) outcome).message()).contains("order-42").contains("differ");
  }

  @Test
  void begin_differentBodyWhileTheFirstRuns_conflictsAtOnce() {
    IdempotencyStore store = store(db, Duration.ofSeconds(5));
    try (Recording ignored = proceed(store.begin("key_a", "k1", HASH))) {
      long start = System.nanoTime();
      assertThat(store.begin("key_a", "k1", OTHER_HASH)).isInstanceOf(Outcome.Conflict.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void begin_duplicateWhileTheFirstRuns_waitsAndReplays() throws Exception {
    IdempotencyStore store = store(db, Duration.ofSeconds(5));
    Recording rec = proceed(store.begin("key_a", "k1", HASH));
    OutputStream out = rec.tee(new ByteArrayOutputStream());
    out.write(ANSWER);
    CompletableFuture<Outcome> second = CompletableFuture.supplyAsync(() -> store.begin("key_a", "k1", HASH));
    Thread.sleep(300);
    assertThat(second).isNotDone();
    rec.complete(200, HEADERS);

    Outcome outcome = second.get(5, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(Outcome.Replay.class);
    assertThat(bytes(((Outcome.Replay) outcome).body())).isEqualTo(ANSWER);
  }

  @Test
  void begin_afterAbandon_proceedsAndLeavesNoFiles() throws Exception {
    IdempotencyStore store = store(db);
    Recording rec = proceed(store.begin("key_a", "k1", HASH));
    rec.tee(new ByteArrayOutputStream()).write(ANSWER);
    rec.abandon();
    assertThat(bodyFiles()).isEmpty();
    assertThat(tmpFiles()).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM idempotency_keys")).isZero();
    proceed(store.begin("key_a", "k1", HASH));
  }

  @Test
  void close_withoutComplete_releasesTheKey() {
    IdempotencyStore store = store(db);
    try (Recording rec = proceed(store.begin("key_a", "k1", HASH))) {
      rec.tee(new ByteArrayOutputStream());
    }
    proceed(store.begin("key_a", "k1", OTHER_HASH));
  }

  @Test
  void begin_firstStillRunningPastTheWaitBound_saysStillRunning() {
    IdempotencyStore store = store(db, Duration.ofMillis(300));
    try (Recording ignored = proceed(store.begin("key_a", "k1", HASH))) {
      long start = System.nanoTime();
      Outcome outcome = store.begin("key_a", "k1", HASH);
      assertThat(outcome).isInstanceOf(Outcome.StillRunning.class);
      assertThat(((Outcome.StillRunning) outcome).message()).contains("k1").contains("still");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void begin_runningClaimWithAStaleHeartbeat_isTakenOverAndTheOldClaimantCannotFinish() throws Exception {
    IdempotencyStore store = store(db, Duration.ofSeconds(5));
    Recording dead = proceed(store.begin("key_a", "k1", HASH));
    sql("UPDATE idempotency_keys SET heartbeat_at = heartbeat_at - 31000");

    Recording taker = proceed(store.begin("key_a", "k1", HASH));
    dead.tee(new ByteArrayOutputStream()).write("stale".getBytes(UTF_8));
    dead.complete(200, Map.of());
    taker.tee(new ByteArrayOutputStream()).write(ANSWER);
    taker.complete(201, HEADERS);

    Outcome.Replay replay = (Outcome.Replay) store.begin("key_a", "k1", HASH);
    assertThat(replay.status()).isEqualTo(201);
    assertThat(bytes(replay.body())).isEqualTo(ANSWER);
    assertThat(storedBodies()).as("nothing kept for the claim that lost").isEqualTo(1);
  }

  @Test
  void heartbeat_keepsALiveClaimFromBeingTakenOver() {
    IdempotencyStore store = new IdempotencyStore(db.dataSource(), bodies, Duration.ofHours(24),
        Duration.ofMillis(1200), Duration.ofMillis(50), Clock.systemUTC(), Duration.ofMillis(400), Duration.ofMillis(100));
    try (Recording ignored = proceed(store.begin("key_a", "k1", HASH))) {
      assertThat(store.begin("key_a", "k1", HASH)).isInstanceOf(Outcome.StillRunning.class);
    }
  }

  @Test
  void begin_sameKeyOtherOwner_isIndependent() {
    IdempotencyStore store = store(db);
    complete(store, "key_a", "k1", HASH);
    proceed(store.begin("key_b", "k1", OTHER_HASH));
    assertThat(store.begin("key_a", "k1", HASH)).isInstanceOf(Outcome.Replay.class);
  }

  @Test
  void begin_doneButBodyFileMissing_runsAgain() throws Exception {
    // Bodies kept as files: SQLite's way, and PostgreSQL rows written before bodies moved into the database.
    IdempotencyStore store = store(db, bodies, false);
    complete(store, "key_a", "k1", HASH);
    assertThat(bodyFiles()).hasSize(1);
    for (Path file : bodyFiles()) Files.delete(file);
    proceed(store.begin("key_a", "k1", HASH));
  }

  @Test
  void purgeExpired_deletesRowsAndFilesPastTheTtlOnly() throws Exception {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    IdempotencyStore store = new IdempotencyStore(db.dataSource(), bodies, Duration.ofHours(24),
        Duration.ofSeconds(1), Duration.ofMillis(20), clock, Duration.ofSeconds(30), Duration.ofSeconds(5));
    complete(store, "key_a", "old", HASH);
    clock.advance(Duration.ofHours(23));
    complete(store, "key_a", "young", HASH);
    assertThat(storedBodies()).isEqualTo(2);
    Path orphan = Files.writeString(bodies.resolve("0123.abcd.tmp"), "left by a dead process");
    sql("INSERT INTO idempotency_bodies (owner, idem_key, claim_token, seq, data) VALUES ('key_a', 'gone', 'x', 0, 'AAAA')");
    Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - Duration.ofHours(26).toMillis()));
    clock.advance(Duration.ofHours(2));

    assertThat(store.purgeExpired()).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM idempotency_keys")).isEqualTo(1);
    assertThat(storedBodies()).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies WHERE idem_key = 'gone'")).isZero();
    assertThat(orphan).doesNotExist();
    assertThat(store.begin("key_a", "young", HASH)).isInstanceOf(Outcome.Replay.class);
    proceed(store.begin("key_a", "old", OTHER_HASH));
  }

  @Test
  void begin_expiredButNotYetPurged_claimsAfresh() {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    IdempotencyStore store = new IdempotencyStore(db.dataSource(), bodies, Duration.ofHours(24),
        Duration.ofSeconds(1), Duration.ofMillis(20), clock, Duration.ofSeconds(30), Duration.ofSeconds(5));
    complete(store, "key_a", "k1", HASH);
    clock.advance(Duration.ofHours(25));
    proceed(store.begin("key_a", "k1", OTHER_HASH));
  }

  @Test
  void twoInstancesOnOneDatabase_actAsOne() throws Exception {
    IdempotencyStore first = store(db, Duration.ofSeconds(5));
    IdempotencyStore second = store(database(), Duration.ofSeconds(5));
    Recording rec = proceed(first.begin("key_a", "k1", HASH));
    CompletableFuture<Outcome> duplicate = CompletableFuture.supplyAsync(() -> second.begin("key_a", "k1", HASH));
    assertThat(second.begin("key_a", "k1", OTHER_HASH)).isInstanceOf(Outcome.Conflict.class);
    Thread.sleep(200);
    assertThat(duplicate).isNotDone();
    rec.tee(new ByteArrayOutputStream()).write(ANSWER);
    rec.complete(200, HEADERS);
    Outcome outcome = duplicate.get(5, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(Outcome.Replay.class);
    assertThat(bytes(((Outcome.Replay) outcome).body())).isEqualTo(ANSWER);
  }

  @Test
  void racingClaimsAcrossInstances_exactlyOneProceeds() throws Exception {
    List<IdempotencyStore> stores = List.of(store(db, Duration.ofMillis(200)), store(database(), Duration.ofMillis(200)));
    List<CompletableFuture<Outcome>> racers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      IdempotencyStore store = stores.get(i % 2);
      racers.add(CompletableFuture.supplyAsync(() -> store.begin("key_a", "race", HASH)));
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (CompletableFuture<Outcome> racer : racers) outcomes.add(racer.get(10, TimeUnit.SECONDS));
    assertThat(outcomes).filteredOn(o -> o instanceof Outcome.Proceed).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof Outcome.StillRunning).hasSize(7);
    outcomes.stream().filter(o -> o instanceof Outcome.Proceed).forEach(this::proceed);
  }

  @Test
  void complete_withOversizedHeaders_throwsAndCloseReleases() {
    IdempotencyStore store = store(db);
    Recording rec = proceed(store.begin("key_a", "k1", HASH));
    assertThatThrownBy(() -> rec.complete(200, Map.of("x-big", "y".repeat(9000))))
        .isInstanceOf(IllegalArgumentException.class);
    rec.close();
    proceed(store.begin("key_a", "k1", HASH));
  }

  @Test
  void begin_invalidKey_isRefused() {
    assertThatThrownBy(() -> store(db).begin("key_a", "has space", HASH)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validKey_acceptsOneTo255VisibleAsciiCharacters() {
    assertThat(IdempotencyStore.validKey("a")).isTrue();
    assertThat(IdempotencyStore.validKey("x".repeat(255))).isTrue();
    assertThat(IdempotencyStore.validKey("9b1d-4f~!{}")).isTrue();
    assertThat(IdempotencyStore.validKey(null)).isFalse();
    assertThat(IdempotencyStore.validKey("")).isFalse();
    assertThat(IdempotencyStore.validKey("x".repeat(256))).isFalse();
    assertThat(IdempotencyStore.validKey("a b")).isFalse();
    assertThat(IdempotencyStore.validKey("tab\t")).isFalse();
    assertThat(IdempotencyStore.validKey("café")).isFalse();
  }
}
