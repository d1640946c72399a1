package io.imagegate.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** API keys in the {@code api_keys} table (SQLite or PostgreSQL). */
public final class JdbcKeyStore {
  private static final String COLUMNS = "id, name, prefix, models, admin, created_at, revoked_at";
  private final DataSource db;

  public JdbcKeyStore(DataSource db) { this.db = db; }

  /** A key just made: its record and its secret, which is shown this once and never stored. */
  public record Created(ApiKey key, String secret) {}

  public Created create(String name, List<String> models, boolean admin) {
    String secret = KeySecrets.newSecret();
    ApiKey key = new ApiKey(KeySecrets.newId(), name, KeySecrets.prefix(secret), List.copyOf(models), admin,
        Instant.ofEpochMilli(System.currentTimeMillis()), null);
    String sql = "INSERT INTO api_keys (id, name, prefix, secret_hash, models, admin, created_at) VALUES (?,?,?,?,?,?,?)";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, key.id());
      st.setString(2, name);
      st.setString(3, key.prefix());
      st.setString(4, KeySecrets.hash(secret));
      st.setString(5, models.isEmpty() ? null : String.join(",", models));
      st.setBoolean(6, admin);
      st.setLong(7, key.createdAt().toEpochMilli());
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

  public List<ApiKey> list() { return query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id"); }

  public boolean isEmpty() { return query("SELECT " + COLUMNS + " FROM api_keys LIMIT 1").isEmpty(); }

  /** Revokes a key; false when no live key has that id. */
  public boolean revoke(String id) {
    String sql = "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setLong(1, System.currentTimeMillis());
      st.setString(2, id);
      return st.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("could not revoke the key: " + e.getMessage(), e);
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
    String models = rs.getString("models");
    long revoked = rs.getLong("revoked_at");
    boolean isRevoked = !rs.wasNull();
    return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("prefix"),
        models == null ? List.of() : Arrays.stream(models.split(",")).filter(s -> !s.isBlank()).toList(),
        rs.getBoolean("admin"), Instant.ofEpochMilli(rs.getLong("created_at")),
        isRevoked ? Instant.ofEpochMilli(revoked) : null);
  }
}
