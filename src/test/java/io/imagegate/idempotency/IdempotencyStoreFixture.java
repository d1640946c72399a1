package io.imagegate.idempotency;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.store.Database;
import io.imagegate.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

/**
 * What the store's tests share: a real database of each kind (SQLite file, PostgreSQL), pools standing for
 * instances, stores, recordings and looks into the tables and the body folder. Subclasses run once per
 * database ({@code @ParameterizedClass} over {@link TestDatabase}).
 */
abstract class IdempotencyStoreFixture {
  static final String HASH = RequestHash.sha256Hex("POST /v1/images/generations".getBytes(UTF_8), "{}".getBytes(UTF_8));
  static final String OTHER_HASH = RequestHash.sha256Hex("POST /v1/images/generations".getBytes(UTF_8), "{ }".getBytes(UTF_8));
  static final byte[] ANSWER = "{\"created\":1,\"data\":[{\"b64_json\":\"iVBORw0KGgo\"}]}".getBytes(UTF_8);
  static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json", "x-imagegate-provider", "imagegate-local");

  /** Over two chunks and not a multiple of one, so that chunk boundaries and the short last chunk count. */
  static final byte[] BIG = new byte[2 * BodyChunks.CHUNK_BYTES + 12_345];

  static {
    new Random(42).nextBytes(BIG);
  }

  @Parameter TestDatabase backend;
  @TempDir Path tmp;
  final List<Database> databases = new ArrayList<>();
  final List<Recording> recordings = new ArrayList<>();
  String url;
  Database db;
  Path bodies;

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

  IdempotencyStore store(Database database) { return store(database, Duration.ofSeconds(1)); }

  IdempotencyStore store(Database database, Duration waitBound) {
    return new IdempotencyStore(database.dataSource(), bodies, Duration.ofHours(24), waitBound, Duration.ofMillis(20));
  }

  /** A store that keeps bodies in the database or as files in {@code dir}, whichever the database is. */
  IdempotencyStore store(Database database, Path dir, boolean bodiesInDatabase) {
    return new IdempotencyStore(database.dataSource(), dir, Duration.ofHours(24), Duration.ofSeconds(1),
        Duration.ofMillis(20), Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(5), bodiesInDatabase);
  }

  /** Another pool (as another instance would have) on this test's database. */
  Database database() {
    Database opened = Database.open(url);
    databases.add(opened);
    return opened;
  }

  static byte[] bytes(ReplayBody body) throws IOException {
    try (InputStream in = body.open()) {
      return in.readAllBytes();
    }
  }

  /** Bodies kept, as files or as claims with chunks. */
  long storedBodies() throws Exception {
    return bodyFiles().size() + count("SELECT COUNT(*) FROM (SELECT DISTINCT claim_token FROM idempotency_bodies) t");
  }

  Recording proceed(Outcome outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Proceed.class);
    Recording recording = ((Outcome.Proceed) outcome).recording();
    recordings.add(recording);
    return recording;
  }

  void complete(IdempotencyStore store, String owner, String key, String hash) {
    try (Recording rec = proceed(store.begin(owner, key, hash))) {
      rec.tee(new ByteArrayOutputStream()).write(ANSWER);
      rec.complete(200, HEADERS);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  List<Path> bodyFiles() throws Exception { return list("*.body"); }

  List<Path> tmpFiles() throws Exception { return list("*.tmp"); }

  List<Path> list(String glob) throws Exception { return files(bodies, glob); }

  static List<Path> files(Path dir, String glob) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (var files = Files.newDirectoryStream(dir, glob)) {
      files.forEach(out::add);
    }
    return out;
  }

  String string(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql);
         var rs = st.executeQuery()) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  void sql(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.executeUpdate();
    }
  }

  long count(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql);
         var rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
