package io.imagegate.auth;

import java.time.Instant;
import java.util.List;

/**
 * An API key as stored: never its secret, only a hash of it and a short prefix to recognise it by.
 *
 * @param owner the owner or team label, or null
 * @param models the model ids this key may call; empty means every model
 * @param scopes what it may do, a subset of {@link #SCOPES} in that order ({@code admin}: the admin API)
 * @param rpm requests per minute, or null for unlimited
 * @param ipm images per minute (each request counts its {@code n}), or null for unlimited
 * @param budget the spending budget, or null for unlimited
 * @param expiresAt when it stops working, or null for never
 * @param disabled whether it is switched off (reversibly, unlike {@code revokedAt})
 */
public record ApiKey(String id, String name, String owner, String prefix, List<String> models, List<String> scopes,
    Integer rpm, Integer ipm, Budget budget, Instant expiresAt, boolean disabled, Instant createdAt,
    Instant revokedAt) {
  public static final String SCOPE_IMAGES = "images";
  public static final String SCOPE_ADMIN = "admin";
  /** Every scope, in the order they are listed. */
  public static final List<String> SCOPES = List.of(SCOPE_IMAGES, SCOPE_ADMIN);

  public ApiKey {
    models = List.copyOf(models);
    scopes = SCOPES.stream().filter(scopes::contains).toList();
  }

  /** The scopes for the old {@code admin} flag: images, plus admin when set. */
  public static List<String> scopesFor(boolean admin) { return admin ? SCOPES : List.of(SCOPE_IMAGES); }

  /** Whether it may call the admin operations (the master key always may). */
  public boolean admin() { return scopes.contains(SCOPE_ADMIN); }

  public boolean revoked() { return revokedAt != null; }

  /** Whether it has expired at {@code now} (an expiry at exactly now counts as passed). */
  public boolean expired(Instant now) { return expiresAt != null && !expiresAt.isAfter(now); }

  public boolean allows(String model) { return models.isEmpty() || models.contains(model); }
}
