package io.imagegate.auth;

import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a key to change; only those set here change. Null clears a limit (unlimited) or the owner
 * or the expiry. Made by the admin API's PATCH after it checked every value.
 */
public final class KeyPatch {
  /** One column's new value and its JDBC type (needed to store a null portably). */
  record Change(String column, Object value, int sqlType) {}

  private final Map<String, Change> changes = new LinkedHashMap<>();

  public KeyPatch name(String name) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("a key needs a name");
    return set("name", name, Types.VARCHAR);
  }

  public KeyPatch owner(String owner) { return set("owner", owner, Types.VARCHAR); }

  /** Empty: every model. */
  public KeyPatch models(List<String> models) {
    return set("models", models == null || models.isEmpty() ? null : String.join(",", models), Types.VARCHAR);
  }

  public KeyPatch scopes(List<String> scopes) {
    set("admin", scopes.contains(ApiKey.SCOPE_ADMIN), Types.BOOLEAN);
    return set("scopes", JdbcKeyStore.scopesColumn(scopes), Types.VARCHAR);
  }

  public KeyPatch rpm(Integer rpm) { return set("rpm", rpm, Types.INTEGER); }

  public KeyPatch ipm(Integer ipm) { return set("ipm", ipm, Types.INTEGER); }

  public KeyPatch budget(Budget budget) {
    set("budget_usd", budget == null ? null : budget.usd(), Types.DOUBLE);
    return set("budget_period", budget == null ? null : budget.period().wire(), Types.VARCHAR);
  }

  public KeyPatch expiresAt(Instant expiresAt) {
    return set("expires_at", expiresAt == null ? null : expiresAt.toEpochMilli(), Types.BIGINT);
  }

  public KeyPatch disabled(boolean disabled) { return set("disabled", disabled, Types.BOOLEAN); }

  public boolean isEmpty() { return changes.isEmpty(); }

  List<Change> changes() { return new ArrayList<>(changes.values()); }

  private KeyPatch set(String column, Object value, int sqlType) {
    changes.put(column, new Change(column, value, sqlType));
    return this;
  }
}
