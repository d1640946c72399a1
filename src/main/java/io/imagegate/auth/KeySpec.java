package io.imagegate.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a new key is made with; the fields mean what {@link ApiKey}'s do. Checked by the caller (the admin
 * API checks every field and names it); the store only requires a name.
 */
public record KeySpec(String name, String owner, List<String> models, List<String> scopes, Integer rpm, Integer ipm,
    Budget budget, Instant expiresAt, boolean disabled) {
  public KeySpec {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("a key needs a name");
    models = models == null ? List.of() : List.copyOf(models);
    scopes = scopes == null ? List.of(ApiKey.SCOPE_IMAGES) : List.copyOf(scopes);
  }

  /** A key with no limits: every model when {@code models} is empty, the admin scope when {@code admin}. */
  public static KeySpec of(String name, List<String> models, boolean admin) {
    return new KeySpec(name, null, models, ApiKey.scopesFor(admin), null, null, null, null, false);
  }
}
