package io.imagegate.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * API keys in the {@code api_keys} table (SQLite or PostgreSQL). Every read goes to the table, so a change
 * made through one gateway instance (revoke, disable, expiry) is seen by all of them on their next request.
 */
public final class JdbcKeyStore {
  private static final String COLUMNS = "id, name, owner, prefix, models, admin, scopes, rpm, ipm, budget_usd,"
      + " budget_period, expires_at, disabled, created_at, revoked_at";
  private final DataSource db;
  private final Clock clock;

  public JdbcKeyStore(DataSource db) { this(db, Clock.systemUTC()); }

  /** @param clock stamps {@code created_at} and {@code revoked_at} */
  public JdbcKeyStore(DataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A key just made: its record and its secret, which is shown this once and never stored. */
  public record Created(ApiKey key, String secret) {}

  /** A key with no limits (the CLI's and the first admin key's way). */
  public Created create(String name, List<String> models, boolean admin) {
    return create(KeySpec.of(name, models, admin));
  }

  public Created create(KeySpec spec) {
    String secret = KeySecrets.newSecret();
    ApiKey key = new ApiKey(KeySecrets.newId(), spec.name(), spec.owner(), KeySecrets.prefix(secret), spec.models(),
        spec.scopes(), spec.rpm(), spec.ipm(), spec.budget(), spec.expiresAt(), spec.disabled(),
        Instant.ofEpochMilli(clock.millis()), null);
    String sql = "INSERT INTO api_keys (id, name, prefix, secret_hash, models, admin, created_at, owner, scopes, rpm,"
        + " ipm, budget_usd, budget_period, expires_at, disabled) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, key.id());
      st.setString(2, key.name());
      st.setString(3, key.prefix());
      st.setString(4, KeySecrets.hash(secret));
      setNullable(st, 5, key.models().isEmpty() ? null : String.join(",", key.models()), Types.VARCHAR);
      st.setBoolean(6, key.admin());
      st.setLong(7, key.createdAt().toEpochMilli());
      setNullable(st, 8, key.owner(), Types.VARCHAR);
      setNullable(st, 9, scopesColumn(key.scopes()), Types.VARCHAR);
      setNullable(st, 10, key.rpm(), Types.INTEGER);
      setNullable(st, 11, key.ipm(), Types.INTEGER);
      setNullable(st, 12, key.budget() == null ? null : key.budget().usd(), Types.DOUBLE);
      setNullable(st, 13, key.budget() == null ? null : key.budget().period().wire(), Types.VARCHAR);
      setNullable(st, 14, key.expiresAt() == null ? null : key.expiresAt().toEpochMilli(), Types.BIGINT);
      st.setBoolean(15, key.disabled());
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not store the new key: " + e.getMessage(), e);
    }
    return new Created(key, secret);
  }

  /** The live or revoked key whose secret this is, looked up by the secret's hash. */
  public Optional<ApiKey> findBySecret(String secret) {
    List<ApiKey> found = query("SELECT " + COLUMNS + " FROM api_keys WHERE secret_hash = ?", KeySecrets.hash(secret));
    return found.stream().findFirst();
  }

  /** The key with this id, live or revoked. */
  public Optional<ApiKey> get(String id) {
    return query("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", id).stream().findFirst();
  }

  /** Every key, revoked ones too, oldest first. */
  public List<ApiKey> list() { return query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id"); }

  public boolean isEmpty() { return query("SELECT " + COLUMNS + " FROM api_keys LIMIT 1").isEmpty(); }

  /**
   * Changes the fields set in {@code patch} (and only those) of the key with this id.
   *
   * @return the key as it is now, or empty when no key has that id
   */
  public Optional<ApiKey> update(String id, KeyPatch patch) {
    List<KeyPatch.Change> changes = patch.changes();
    if (!changes.isEmpty()) {
      StringBuilder sql = new StringBuilder("UPDATE api_keys SET ");
      for (int i = 0; i < changes.size(); i++) sql.append(i == 0 ? "" : ", ").append(changes.get(i).column()).append(" = ?");
      sql.append(" WHERE id = ?");
      try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < changes.size(); i++) {
          KeyPatch.Change change = changes.get(i);
          setNullable(st, i + 1, change.value(), change.sqlType());
        }
        st.setString(changes.size() + 1, id);
        if (st.executeUpdate() == 0) return Optional.empty();
      } catch (SQLException e) {
        throw new IllegalStateException("could not update the key: " + e.getMessage(), e);
      }
    }
    return get(id);
  }

  /**
   * Revokes a key for good: it is refused from its next request on, and its row stays (for the ledger).
   *
   * @return false when no live key has that id (unknown or already revoked)
   */
  public boolean revoke(String id) {
    String sql = "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setLong(1, clock.millis());
      st.setString(2, id);
      return st.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("could not revoke the key: " + e.getMessage(), e);
    }
  }

  static String scopesColumn(List<String> scopes) {
    return ApiKey.SCOPES.stream().filter(scopes::contains).reduce((a, b) -> a + "," + b).orElse("");
  }

  private static void setNullable(PreparedStatement st, int index, Object value, int sqlType) throws SQLException {
    if (value == null) {
      st.setNull(index, sqlType);
    } else {
      switch (sqlType) {
        case Types.VARCHAR -> st.setString(index, (String) value);
        case Types.INTEGER -> st.setInt(index, (Integer) value);
        case Types.BIGINT -> st.setLong(index, (Long) value);
        case Types.DOUBLE -> st.setDouble(index, (Double) value);
        case Types.BOOLEAN -> st.setBoolean(index, (Boolean) value);
        default -> throw new IllegalArgumentException("unsupported column type " + sqlType);
      }
    }
  }

  private List<ApiKey> query(String sql, String... args) {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) st.setString(i + 1, args[i]);
      try (ResultSet rs = st.executeQuery()) {
        List<ApiKey> out = new ArrayList<>();
        while (rs.next()) out.add(read(rs));
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the keys: " + e.getMessage(), e);
    }
  }

  private static ApiKey read(ResultSet rs) throws SQLException {
    boolean admin = rs.getBoolean("admin");
    String scopesText = rs.getString("scopes");
    // Rows from before V3 have no scopes: they may call the images API, and the admin API when flagged.
    List<String> scopes = scopesText == null ? ApiKey.scopesFor(admin) : new ArrayList<>(split(scopesText));
    if (admin && !scopes.contains(ApiKey.SCOPE_ADMIN)) scopes.add(ApiKey.SCOPE_ADMIN);
    if (!admin) scopes.remove(ApiKey.SCOPE_ADMIN);
    Double usd = nullableDouble(rs, "budget_usd");
    String period = rs.getString("budget_period");
    Budget budget = usd == null || period == null ? null
        : new Budget(usd, Budget.Period.parse(period).orElse(Budget.Period.TOTAL));
    Long expires = nullableLong(rs, "expires_at");
    Long revoked = nullableLong(rs, "revoked_at");
    return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("owner"), rs.getString("prefix"),
        split(rs.getString("models")), scopes, nullableInt(rs, "rpm"), nullableInt(rs, "ipm"), budget,
        expires == null ? null : Instant.ofEpochMilli(expires), rs.getBoolean("disabled"),
        Instant.ofEpochMilli(rs.getLong("created_at")), revoked == null ? null : Instant.ofEpochMilli(revoked));
  }

  private static List<String> split(String list) {
    return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
