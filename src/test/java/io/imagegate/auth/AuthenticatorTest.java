package io.imagegate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import io.imagegate.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may call: revoked, expired and disabled keys are refused with 401 saying which, looked up per call. */
class AuthenticatorTest {
  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  private static final String MASTER = "sk-master-secret-0123";
  @TempDir Path dir;
  private Database db;
  private JdbcKeyStore store;
  private Authenticator auth;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:sqlite:" + dir.resolve("keys.db"));
    store = new JdbcKeyStore(db.dataSource());
    auth = at(NOW);
  }

  @AfterEach
  void close() { db.close(); }

  private Authenticator at(Instant now) { return new Authenticator(store, MASTER, Clock.fixed(now, ZoneOffset.UTC)); }

  private static KeySpec spec(Instant expires, boolean disabled) {
    return new KeySpec("k", null, List.of(), List.of("images"), null, null, null, expires, disabled);
  }

  private static void assertRefused(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.type()).isEqualTo("invalid_request_error");
      assertThat(e.code()).isEqualTo("invalid_api_key");
      assertThat(e.param()).isNull();
      assertThat(e.getMessage()).contains(message);
    });
  }

  @Test
  void liveKey_isAccepted() {
    JdbcKeyStore.Created created = store.create(spec(NOW.plusSeconds(1), false));
    assertThat(auth.authenticate("Bearer " + created.secret()).id()).isEqualTo(created.key().id());
  }

  @Test
  void masterKey_isAdmin() {
    ApiKey master = auth.authenticateAdmin("Bearer " + MASTER);
    assertThat(master).isSameAs(Authenticator.MASTER);
    assertThat(master.admin()).isTrue();
  }

  @Test
  void missingOrUnknownKey_is401() {
    assertRefused(() -> auth.authenticate(null), "didn't provide an API key");
    assertRefused(() -> auth.authenticate("Basic abc"), "must be 'Bearer YOUR_KEY'");
    assertRefused(() -> auth.authenticate("Bearer sk-unknown"), "Incorrect API key");
  }

  @Test
  void expiredKey_is401_fromTheMomentItExpires() {
    String secret = store.create(spec(NOW.plusSeconds(60), false)).secret();
    assertThat(at(NOW.plusSeconds(59)).authenticate("Bearer " + secret)).isNotNull();
    assertRefused(() -> at(NOW.plusSeconds(60)).authenticate("Bearer " + secret), "has expired");
    assertRefused(() -> at(NOW.plusSeconds(3600)).authenticate("Bearer " + secret), "has expired");
  }

  @Test
  void disabledKey_is401_andEnablingItAgainLetsItIn() {
    JdbcKeyStore.Created created = store.create(spec(null, false));
    String header = "Bearer " + created.secret();
    assertThat(auth.authenticate(header)).isNotNull();
    store.update(created.key().id(), new KeyPatch().disabled(true));
    assertRefused(() -> auth.authenticate(header), "is disabled");
    store.update(created.key().id(), new KeyPatch().disabled(false));
    assertThat(auth.authenticate(header)).isNotNull();
  }

  @Test
  void revokedKey_is401_onTheNextCall_evenThroughAnotherStoreInstance() {
    JdbcKeyStore.Created created = store.create("k", List.of(), false);
    String header = "Bearer " + created.secret();
    assertThat(auth.authenticate(header)).isNotNull();
    // Another gateway instance: its own store object on the same database.
    new JdbcKeyStore(db.dataSource()).revoke(created.key().id());
    assertRefused(() -> auth.authenticate(header), "has been revoked");
  }

  @Test
  void nonAdminKey_is403OnAdmin_adminScopeIsAccepted() {
    String plain = store.create("p", List.of(), false).secret();
    String admin = store.create(new KeySpec("a", null, List.of(), List.of("admin"), null, null, null, null, false))
        .secret();
    assertThatThrownBy(() -> auth.authenticateAdmin("Bearer " + plain)).isInstanceOfSatisfying(ApiException.class,
        e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.type()).isEqualTo("permission_denied");
          assertThat(e.code()).isEqualTo("admin_required");
        });
    assertThat(auth.authenticateAdmin("Bearer " + admin).admin()).isTrue();
  }

  @Test
  void checkModel_refusesModelsOutsideTheList() {
    ApiKey key = store.create("m", List.of("gpt-image-1"), false).key();
    Authenticator.checkModel(key, "gpt-image-1");
    assertThatThrownBy(() -> Authenticator.checkModel(key, "gpt-image-2"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("model_not_allowed"));
  }
}
