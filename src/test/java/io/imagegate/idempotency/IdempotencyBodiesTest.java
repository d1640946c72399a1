package io.imagegate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagegate.testing.MutableClock;
import io.imagegate.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where recorded answers are kept: chunks in the database on PostgreSQL (any instance replays them), files on
 * SQLite; copies that fail, claims lost meanwhile, bodies deleted mid-replay.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class IdempotencyBodiesTest extends IdempotencyStoreFixture {
  @Test
  void bodies_keptWhereTheDatabaseSays_chunksOnPostgresFilesOnSqlite() throws Exception {
    complete(store(db), "key_a", "k1", HASH);
    boolean postgres = backend == TestDatabase.POSTGRES;
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies")).isEqualTo(postgres ? 1 : 0);
    assertThat(bodyFiles()).hasSize(postgres ? 0 : 1);
    assertThat(tmpFiles()).isEmpty();
  }

  @Test
  void bodiesInDatabase_anotherInstanceWithItsOwnDir_replaysByteForByte() throws Exception {
    IdempotencyStore first = store(db, tmp.resolve("a"), true);
    IdempotencyStore second = store(database(), tmp.resolve("b"), true);
    Recording rec = proceed(first.begin("key_a", "big", HASH));
    OutputStream out = rec.tee(new ByteArrayOutputStream());
    int[] pieces = {1, 8191, BodyChunks.CHUNK_BYTES, 3, BIG.length - BodyChunks.CHUNK_BYTES - 8195};
    int at = 0;
    for (int piece : pieces) {
      out.write(BIG, at, piece);
      at += piece;
    }
    rec.complete(200, HEADERS);
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies")).isEqualTo(3);
    assertThat(files(tmp.resolve("a"), "*")).as("the recorded temp file is gone").isEmpty();

    Outcome.Replay replay = (Outcome.Replay) second.begin("key_a", "big", HASH);
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.headers()).isEqualTo(HEADERS);
    assertThat(bytes(replay.body())).isEqualTo(BIG);
    assertThat(second.begin("key_a", "big", OTHER_HASH)).isInstanceOf(Outcome.Conflict.class);
  }

  @Test
  void postgres_instancesWithTheirOwnDirs_shareAnswersAndPurgeRemovesTheChunks() throws Exception {
    assumeTrue(backend == TestDatabase.POSTGRES, "bodies are shared through the database on PostgreSQL only");
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    IdempotencyStore first = new IdempotencyStore(db.dataSource(), tmp.resolve("a"), Duration.ofHours(24),
        Duration.ofSeconds(1), Duration.ofMillis(20), clock, Duration.ofSeconds(30), Duration.ofSeconds(5));
    IdempotencyStore second = new IdempotencyStore(database().dataSource(), tmp.resolve("b"), Duration.ofHours(24),
        Duration.ofSeconds(1), Duration.ofMillis(20), clock, Duration.ofSeconds(30), Duration.ofSeconds(5));
    try (Recording rec = proceed(first.begin("key_a", "big", HASH))) {
      rec.tee(new ByteArrayOutputStream()).write(BIG);
      rec.complete(200, HEADERS);
    }
    complete(first, "key_a", "small", HASH);
    assertThat(bytes(((Outcome.Replay) second.begin("key_a", "big", HASH)).body())).isEqualTo(BIG);
    assertThat(bytes(((Outcome.Replay) second.begin("key_a", "small", HASH)).body())).isEqualTo(ANSWER);
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies")).isEqualTo(4);

    clock.advance(Duration.ofHours(25));
    assertThat(second.purgeExpired()).isEqualTo(2);
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies")).isZero();
    assertThat(count("SELECT COUNT(*) FROM idempotency_keys")).isZero();
    proceed(first.begin("key_a", "big", HASH));
  }

  @Test
  void bodiesInDatabase_expiredKeyClaimedAgain_deletesTheOldChunks() throws Exception {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    IdempotencyStore store = new IdempotencyStore(db.dataSource(), bodies, Duration.ofHours(24), Duration.ofSeconds(1),
        Duration.ofMillis(20), clock, Duration.ofSeconds(30), Duration.ofSeconds(5), true);
    complete(store, "key_a", "k1", HASH);
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies")).isEqualTo(1);
    clock.advance(Duration.ofHours(25));
    proceed(store.begin("key_a", "k1", OTHER_HASH));
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies")).isZero();
  }

  @Test
  void bodiesInDatabase_copyFailsPartWay_rollsBackAndLeavesNoRowOrChunk() throws Exception {
    IdempotencyStore store = store(db, bodies, true);
    Recording rec = proceed(store.begin("key_a", "k1", HASH));
    rec.tee(new ByteArrayOutputStream()).write(BIG);
    // A chunk already at seq 2 for this claim makes the third insert fail after two went in.
    String token = string("SELECT claim_token FROM idempotency_keys");
    sql("INSERT INTO idempotency_bodies (owner, idem_key, claim_token, seq, data) VALUES ('key_a', 'k1', '"
        + token + "', 2, 'AAAA')");
    rec.complete(200, HEADERS);

    assertThat(count("SELECT COUNT(*) FROM idempotency_keys")).isZero();
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies")).isZero();
    assertThat(tmpFiles()).isEmpty();
    proceed(store.begin("key_a", "k1", HASH));
  }

  @Test
  void bodiesInDatabase_claimLostBeforeComplete_storesNoChunks() throws Exception {
    IdempotencyStore store = store(db, bodies, true);
    Recording dead = proceed(store.begin("key_a", "k1", HASH));
    sql("UPDATE idempotency_keys SET heartbeat_at = heartbeat_at - 31000");
    Recording taker = proceed(store.begin("key_a", "k1", HASH));
    dead.tee(new ByteArrayOutputStream()).write(BIG);
    dead.complete(200, Map.of());
    assertThat(count("SELECT COUNT(*) FROM idempotency_bodies")).isZero();
    assertThat(tmpFiles()).isEmpty();
    taker.tee(new ByteArrayOutputStream()).write(ANSWER);
    taker.complete(200, HEADERS);
    assertThat(bytes(((Outcome.Replay) store.begin("key_a", "k1", HASH)).body())).isEqualTo(ANSWER);
  }

  @Test
  void bodiesInDatabase_deletedWhileBeingReplayed_failsRatherThanEndingShort() throws Exception {
    IdempotencyStore store = store(db, bodies, true);
    try (Recording rec = proceed(store.begin("key_a", "k1", HASH))) {
      rec.tee(new ByteArrayOutputStream()).write(BIG);
      rec.complete(200, HEADERS);
    }
    Outcome.Replay replay = (Outcome.Replay) store.begin("key_a", "k1", HASH);
    try (InputStream in = replay.body().open()) {
      assertThat(in.readNBytes(1000)).isEqualTo(java.util.Arrays.copyOf(BIG, 1000));
      sql("DELETE FROM idempotency_bodies");
      assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("deleted");
    }
    assertThatThrownBy(() -> replay.body().open()).isInstanceOf(IOException.class);
  }

  @Test
  void bodiesInDatabase_emptyBody_replaysEmpty() throws Exception {
    IdempotencyStore store = store(db, bodies, true);
    try (Recording rec = proceed(store.begin("key_a", "k1", HASH))) {
      rec.tee(new ByteArrayOutputStream()).close();
      rec.complete(204, Map.of());
    }
    Outcome.Replay replay = (Outcome.Replay) store.begin("key_a", "k1", HASH);
    assertThat(replay.status()).isEqualTo(204);
    assertThat(bytes(replay.body())).isEmpty();
  }
}
