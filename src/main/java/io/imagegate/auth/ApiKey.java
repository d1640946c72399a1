package io.imagegate.auth;

import java.time.Instant;
import java.util.List;

/**
 * An API key as stored: never its secret, only a hash of it and a short prefix to recognise it by.
 *
 * @param models the model ids this key may call; empty means every model
 * @param admin whether it may call the admin operations (the master key always may)
 */
public record ApiKey(String id, String name, String prefix, List<String> models, boolean admin, Instant createdAt,
    Instant revokedAt) {

  public boolean revoked() { return revokedAt != null; }

  public boolean allows(String model) { return models.isEmpty() || models.contains(model); }
}
