package io.imagegate.auth;

import io.imagegate.api.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides who is calling from the {@code Authorization} header. The master key (from the settings) is valid
 * for every call; other keys are looked up in the store by the hash of their secret on every request, so a
 * key revoked, disabled or expired through any gateway instance is refused by all of them on its next request.
 */
public final class Authenticator {
  /** The identity of the master key in logs and answers; it never appears in the store. */
  public static final ApiKey MASTER = new ApiKey("master", "master", null, "", List.of(), ApiKey.SCOPES, null, null,
      null, null, false, Instant.EPOCH, null);

  private final JdbcKeyStore keys;
  private final String masterKey;
  private final Clock clock;
  private final ConsoleSessions sessions;

  /** @param masterKey the master key's secret, or null when the admin key lives in the store */
  public Authenticator(JdbcKeyStore keys, String masterKey) { this(keys, masterKey, Clock.systemUTC()); }

  /** @param clock decides whether a key has expired */
  public Authenticator(JdbcKeyStore keys, String masterKey, Clock clock) { this(keys, masterKey, clock, null); }

  /** @param sessions the dashboard's sign-in sessions; null when there is no dashboard */
  public Authenticator(JdbcKeyStore keys, String masterKey, Clock clock, ConsoleSessions sessions) {
    this.keys = keys;
    this.masterKey = masterKey;
    this.clock = clock;
    this.sessions = sessions;
  }

  /** A session just opened: the cookie's token (never stored), who it is for and until when. */
  public record SignIn(String token, ApiKey key, Instant expiresAt) {}

  /** Opens a dashboard session for an admin key that has just authenticated. */
  public SignIn signIn(ApiKey admin) {
    if (sessions == null || !admin.admin()) throw new IllegalStateException("no session for this key");
    String token = sessions.open(admin.id(), admin == MASTER ? masterHash() : null);
    return new SignIn(token, admin, clock.instant().plus(ConsoleSessions.LIFETIME));
  }

  /**
   * The admin behind a session cookie, checked afresh on every request: a session ends with its key (revoked,
   * disabled, expired or no longer admin), and a master key session with that master key. 401
   * {@code invalid_session} otherwise.
   */
  public ApiKey authenticateSession(String token) {
    ConsoleSessions.Session session = sessions == null ? null : sessions.find(token).orElse(null);
    if (session == null) throw sessionEnded("Your session has ended or is not valid. Sign in again.");
    ApiKey key;
    if (MASTER.id().equals(session.keyId())) {
      if (masterKey == null || !masterHash().equals(session.masterHash())) {
        throw sessionEnded("The master key has changed since this session began. Sign in again.");
      }
      key = MASTER;
    } else {
      key = keys.get(session.keyId()).orElse(null);
      if (key == null || key.revoked() || key.disabled() || key.expired(clock.instant()) || !key.admin()) {
        throw sessionEnded("The key this session was opened with is no longer a valid admin key. Sign in again.");
      }
    }
    return key;
  }

  /** Ends a session (signing out); an unknown token is no error. */
  public void signOut(String token) {
    if (sessions != null) sessions.close(token);
  }

  private String masterHash() { return KeySecrets.hash("master:" + masterKey); }

  private static ApiException sessionEnded(String message) {
    return new ApiException(401, "invalid_request_error", null, "invalid_session", message);
  }

  /** The store the keys are looked up in (the admin API manages keys through it). */
  public JdbcKeyStore keys() { return keys; }

  /** The caller of a request, or 401 {@code invalid_api_key} (missing, unknown, revoked, expired or disabled). */
  public ApiKey authenticate(String authorizationHeader) {
    String secret = bearer(authorizationHeader);
    if (masterKey != null && KeySecrets.sameSecret(secret, masterKey)) return MASTER;
    Optional<ApiKey> found = keys.findBySecret(secret);
    if (found.isEmpty()) {
      throw unauthorized("Incorrect API key provided. Check the key, or ask the gateway's admin for a new one.");
    }
    ApiKey key = found.get();
    if (key.revoked()) throw unauthorized("This API key has been revoked. Ask the gateway's admin for a new one.");
    if (key.expired(clock.instant())) {
      throw unauthorized("This API key has expired. Ask the gateway's admin to extend it or for a new one.");
    }
    if (key.disabled()) throw unauthorized("This API key is disabled. Ask the gateway's admin to enable it.");
    return key;
  }

  /** The caller of an admin request: 401 as {@link #authenticate}, then 403 {@code admin_required}. */
  public ApiKey authenticateAdmin(String authorizationHeader) {
    ApiKey key = authenticate(authorizationHeader);
    if (!key.admin()) {
      throw new ApiException(403, "permission_denied", null, "admin_required", "This API key may not use the"
          + " admin API: it needs the 'admin' scope (or use the master key).");
    }
    return key;
  }

  /** 403 {@code model_not_allowed} when the key may not call this model. */
  public static void checkModel(ApiKey key, String model) {
    if (!key.allows(model)) {
      throw new ApiException(403, "permission_denied", "model", "model_not_allowed", "This API key is not allowed"
          + " to use the model '" + model + "'. Models allowed: " + String.join(", ", key.models()) + ".");
    }
  }

  private static String bearer(String header) {
    if (header == null || header.isBlank()) {
      throw unauthorized("You didn't provide an API key. Send it in an Authorization header as"
          + " 'Authorization: Bearer YOUR_KEY'.");
    }
    String h = header.trim();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7) || h.substring(7).isBlank()) {
      throw unauthorized("The Authorization header must be 'Bearer YOUR_KEY'.");
    }
    return h.substring(7).trim();
  }

  private static ApiException unauthorized(String message) {
    return new ApiException(401, "invalid_request_error", null, "invalid_api_key", message);
  }
}
