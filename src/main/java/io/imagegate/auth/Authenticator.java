package io.imagegate.auth;

import io.imagegate.api.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides who is calling from the {@code Authorization} header. The master key (from the settings) is valid
 * for every call; other keys are looked up by the hash of their secret, so a revoked key is refused on its
 * next request.
 */
public final class Authenticator {
  /** The identity of the master key in logs and answers; it never appears in the store. */
  public static final ApiKey MASTER = new ApiKey("master", "master", "", List.of(), true, Instant.EPOCH, null);

  private final JdbcKeyStore keys;
  private final String masterKey;

  /** @param masterKey the master key's secret, or null when the admin key lives in the store */
  public Authenticator(JdbcKeyStore keys, String masterKey) {
    this.keys = keys;
    this.masterKey = masterKey;
  }

  /** The caller of a request, or 401 {@code invalid_api_key}. */
  public ApiKey authenticate(String authorizationHeader) {
    String secret = bearer(authorizationHeader);
    if (masterKey != null && KeySecrets.sameSecret(secret, masterKey)) return MASTER;
    Optional<ApiKey> key = keys.findBySecret(secret);
    if (key.isEmpty() || key.get().revoked()) {
      throw unauthorized("Incorrect API key provided. Check the key, or ask the gateway's admin for a new one.");
    }
    return key.get();
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
