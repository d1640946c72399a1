package io.imagegate.idempotency;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagegate.store.Database;
import io.imagegate.testing.MutableClock;
import io.imagegate.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store on both databases. On PostgreSQL bodies go to the database (chunks), on SQLite to files: the
 * tests that look at where a body is kept say which they expect, the rest must pass either way.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class IdempotencyStoreTest {
  private static final String HASH = RequestHash.sha256Hex("POST /v1/images/generations".getBytes(UTF_8), "{}".getBytes(UTF_8));
  private static final String OTHER_HASH = RequestHash.sha256Hex("POST /v1/images/generations".getBytes(UTF_8), "{ }".getBytes(UTF_8));
  private static final byte[] ANSWER = "{\"created\":1,\"data\":[{\"b64_json\":\"iVBORw0KGgo\"}]}".getBytes(UTF_8);
  private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json", "x-imagegate-provider", "imagegate-local");

  /** Over two chunks and not a multiple of one, so that chunk boundaries and the short last chunk count. */
  private static final byte[] BIG = new byte[2 * BodyChunks.CHUNK_BYTES + 12_345];

  static {
    new Random(42).nextBytes(BIG);
  }

  @Parameter TestDatabase backend;
  @TempDir Path tmp;
  private final List<Database> databases = new ArrayList<>();
  private final List<Recording> recordings = new ArrayList<>();
  private String url;
  private Database db;
  private Path bodies;

  @BeforeEach
  void open() {
    url = backend.newUrl(tmp);
    db = database();
    bodies = tmp.resolve("idempotency");
  }

  @AfterEach
  void close() {
    recordings.forEach(Recording::close); // stops their heartbeats before the pools go
    databases.forEach(Database::close);
  }

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

  private IdempotencyStore store(Database database) { return store(database, Duration.ofSeconds(1)); }

  private IdempotencyStore store(Database database, Duration waitBound) {
    return new IdempotencyStore(database.dataSource(), bodies, Duration.ofHours(24), waitBound, Duration.ofMillis(20));
  }

  /** A store that keeps bodies in the database or as files in {@code dir}, whichever the database is. */
  private IdempotencyStore store(Database database, Path dir, boolean bodiesInDatabase) {
    return new IdempotencyStore(database.dataSource(), dir, Duration.ofHours(24), Duration.ofSeconds(1),
        Duration.ofMillis(20), Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(5), bodiesInDatabase);
  }

  /** Another pool (as another instance would have) on this test's database. */
  private Database database() {
    Database opened = Database.open(url);
    databases.add(opened);
    return opened;
  }

  private static byte[] bytes(ReplayBody body) throws IOException {
    try (InputStream in = body.open()) {
      return in.readAllBytes();
    }
  }

  /** Bodies kept, as files or as claims with chunks. */
  private long storedBodies() throws Exception {
    return bodyFiles().size() + count("SELECT COUNT(*) FROM (SELECT DISTINCT claim_token FROM idempotency_bodies) t");
  }

  private Recording proceed(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Proceed.class);
    Recording recording = ((Outcome.Proceed) outcome).recording();
    recordings.add(recording);
    return recording;
  }

  private void complete(IdempotencyStore store, String owner, String key, String hash) {
    try (Recording rec = proceed(store.begin(owner, key, hash))) {
      rec.tee(new ByteArrayOutputStream()).write(ANSWER);
      rec.complete(200, HEADERS);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<Path> bodyFiles() throws Exception { return list("*.body"); }

  private List<Path> tmpFiles() throws Exception { return list("*.tmp"); }

  private List<Path> list(String glob) throws Exception { return files(bodies, glob); }

  private static List<Path> files(Path dir, String glob) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (var files = Files.newDirectoryStream(dir, glob)) {
      files.forEach(out::add);
    }
    return out;
  }

  private String string(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql);
         var rs = st.executeQuery()) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  private void sql(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.executeUpdate();
    }
  }

  private long count(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql);
         var rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
