package io.imagegate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import io.imagegate.testing.TestDatabase;

/** The key store on a real SQLite file and on real PostgreSQL, migrated to the latest schema. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class JdbcKeyStoreTest {
  @Parameter TestDatabase database;
  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  @TempDir Path dir;
  private Database db;
  private JdbcKeyStore store;

  @BeforeEach
  void open() {
    db = Database.open(database.newUrl(dir));
    store = new JdbcKeyStore(db.dataSource(), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void close() { db.close(); }

  @Test
  void create_withEveryField_readsBackTheSame() {
    KeySpec spec = new KeySpec("team-a", "design", List.of("gpt-image-2", "gpt-image-1"), List.of("admin", "images"),
        60, 120, new Budget(12.5, Budget.Period.MONTHLY), NOW.plusSeconds(3600), true);
    JdbcKeyStore.Created created = store.create(spec);
    ApiKey key = store.get(created.key().id()).orElseThrow();
    assertThat(key).isEqualTo(created.key());
    assertThat(key.name()).isEqualTo("team-a");
    assertThat(key.owner()).isEqualTo("design");
    assertThat(key.models()).containsExactly("gpt-image-2", "gpt-image-1");
    assertThat(key.scopes()).containsExactly("images", "admin");
    assertThat(key.admin()).isTrue();
    assertThat(key.rpm()).isEqualTo(60);
    assertThat(key.ipm()).isEqualTo(120);
    assertThat(key.budget()).isEqualTo(new Budget(12.5, Budget.Period.MONTHLY));
    assertThat(key.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(key.disabled()).isTrue();
    assertThat(key.createdAt()).isEqualTo(NOW);
    assertThat(key.revokedAt()).isNull();
    assertThat(key.prefix()).isEqualTo(created.secret().substring(0, 8));
  }

  @Test
  void create_legacySignature_hasNoLimitsAndTheAdminFlagAsScope() {
    ApiKey plain = store.create("cli", List.of(), false).key();
    ApiKey admin = store.create("root", List.of("gpt-image-2"), true).key();
    ApiKey readPlain = store.get(plain.id()).orElseThrow();
    assertThat(readPlain.scopes()).containsExactly("images");
    assertThat(readPlain.admin()).isFalse();
    assertThat(readPlain.rpm()).isNull();
    assertThat(readPlain.ipm()).isNull();
    assertThat(readPlain.budget()).isNull();
    assertThat(readPlain.expiresAt()).isNull();
    assertThat(readPlain.disabled()).isFalse();
    assertThat(store.get(admin.id()).orElseThrow().scopes()).containsExactly("images", "admin");
    assertThat(store.list()).extracting(ApiKey::id).containsExactlyInAnyOrder(plain.id(), admin.id());
  }

  @Test
  void rowFromBeforeV3_withAdminFlag_readsAsAdminScope() throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO api_keys (id, name, prefix, secret_hash, admin, created_at)"
          + " VALUES ('key_old', 'old', 'sk-old', 'abc', TRUE, 1)");
    }
    ApiKey old = store.get("key_old").orElseThrow();
    assertThat(old.scopes()).containsExactly("images", "admin");
    assertThat(old.disabled()).isFalse();
  }

  @Test
  void update_changesOnlyGivenFields_andNullClearsALimit() {
    KeySpec spec = new KeySpec("k", "ops", List.of("gpt-image-2"), List.of("images"), 10, 20,
        new Budget(5, Budget.Period.DAILY), NOW.plusSeconds(60), false);
    String id = store.create(spec).key().id();

    ApiKey after = store.update(id, new KeyPatch().rpm(null).disabled(true).scopes(List.of("images", "admin")))
        .orElseThrow();
    assertThat(after.rpm()).isNull();
    assertThat(after.disabled()).isTrue();
    assertThat(after.admin()).isTrue();
    assertThat(after.ipm()).isEqualTo(20);
    assertThat(after.owner()).isEqualTo("ops");
    assertThat(after.models()).containsExactly("gpt-image-2");
    assertThat(after.budget()).isEqualTo(new Budget(5, Budget.Period.DAILY));
    assertThat(after.expiresAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(store.get(id).orElseThrow()).isEqualTo(after);

    ApiKey cleared = store.update(id, new KeyPatch().budget(null).expiresAt(null).models(List.of()).owner(null)
        .name("renamed").scopes(List.of("images"))).orElseThrow();
    assertThat(cleared.budget()).isNull();
    assertThat(cleared.expiresAt()).isNull();
    assertThat(cleared.models()).isEmpty();
    assertThat(cleared.owner()).isNull();
    assertThat(cleared.name()).isEqualTo("renamed");
    assertThat(cleared.admin()).isFalse();
    assertThat(cleared.ipm()).isEqualTo(20);
  }

  @Test
  void update_unknownId_isEmpty() {
    assertThat(store.update("key_nope", new KeyPatch().rpm(5))).isEmpty();
    assertThat(store.update("key_nope", new KeyPatch())).isEmpty();
    assertThat(store.get("key_nope")).isEmpty();
  }

  @Test
  void revoke_keepsTheRow_andOnlyOnce() {
    String id = store.create("k", List.of(), false).key().id();
    assertThat(store.revoke(id)).isTrue();
    assertThat(store.revoke(id)).isFalse();
    assertThat(store.revoke("key_nope")).isFalse();
    ApiKey key = store.get(id).orElseThrow();
    assertThat(key.revoked()).isTrue();
    assertThat(key.revokedAt()).isEqualTo(NOW);
    assertThat(store.list()).hasSize(1);
  }

  @Test
  void secrets_areStoredOnlyAsHashes() throws Exception {
    JdbcKeyStore.Created created = store.create("k", List.of(), false);
    assertThat(store.findBySecret(created.secret())).contains(created.key());
    assertThat(store.findBySecret(created.secret() + "x")).isEmpty();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM api_keys")) {
      rs.next();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        assertThat(String.valueOf(rs.getObject(i))).doesNotContain(created.secret());
      }
    }
  }
}
