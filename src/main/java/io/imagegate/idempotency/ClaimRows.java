package io.imagegate.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The SQL of the {@code idempotency_keys} table, portable between SQLite and PostgreSQL: every write is one
 * auto-committed statement, and every change to a claim is guarded by its {@code claim_token}, so a claimant
 * that lost its claim (taken over, expired) changes nothing.
 */
final class ClaimRows {
  static final String RUNNING = "running";
  static final String DONE = "done";

  /** One row as read back. {@code headersJson} and {@code httpStatus} are set once done. */
  record Row(String requestHash, String token, String status, int httpStatus, String headersJson,
             long expiresAt, long heartbeatAt) {}

  private final DataSource db;

  ClaimRows(DataSource db) { this.db = db; }

  /**
   * Inserts a running claim; false when a row for (owner, key) exists already. Databases report the unique
   * violation differently (SQLState 23505, SQLite's code 19, ...), so any failed insert is followed by a
   * look: a row there means "taken", none means a real error.
   */
  boolean insert(String owner, String key, String hash, String token, long now, long expiresAt) {
    String sql = "INSERT INTO idempotency_keys (owner, idem_key, request_hash, claim_token, status, created_at,"
        + " expires_at, heartbeat_at) VALUES (?,?,?,?,?,?,?,?)";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, owner);
      st.setString(2, key);
      st.setString(3, hash);
      st.setString(4, token);
      st.setString(5, RUNNING);
      st.setLong(6, now);
      st.setLong(7, expiresAt);
      st.setLong(8, now);
      return st.executeUpdate() == 1;
    } catch (SQLException e) {
      if (find(owner, key) != null) return false;
      throw new IllegalStateException("could not claim the idempotency key: " + e.getMessage(), e);
    }
  }

  Row find(String owner, String key) {
    String sql = "SELECT request_hash, claim_token, status, http_status, headers, expires_at, heartbeat_at"
        + " FROM idempotency_keys WHERE owner = ? AND idem_key = ?";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, owner);
      st.setString(2, key);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) return null;
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
            rs.getLong(6), rs.getLong(7));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the idempotency key: " + e.getMessage(), e);
    }
  }

  /** Marks a running claim done; false when the claim is no longer this token's. */
  boolean complete(String owner, String key, String token, int httpStatus, String headersJson, long now) {
    return update("UPDATE idempotency_keys SET status = ?, http_status = ?, headers = ?, heartbeat_at = ?"
        + " WHERE owner = ? AND idem_key = ? AND claim_token = ? AND status = ?",
        DONE, httpStatus, headersJson, now, owner, key, token, RUNNING) == 1;
  }

  /** Refreshes a running claim's heartbeat; false when the claim is no longer this token's. */
  boolean heartbeat(String owner, String key, String token, long now) {
    return update("UPDATE idempotency_keys SET heartbeat_at = ? WHERE owner = ? AND idem_key = ?"
        + " AND claim_token = ? AND status = ?", now, owner, key, token, RUNNING) == 1;
  }

  /** Deletes the row if it is still this token's claim; false when someone else changed it first. */
  boolean delete(String owner, String key, String token) {
    return update("DELETE FROM idempotency_keys WHERE owner = ? AND idem_key = ? AND claim_token = ?",
        owner, key, token) == 1;
  }

  /** Deletes a running claim whose heartbeat is not newer than {@code staleBefore}. */
  boolean deleteStale(String owner, String key, String token, long staleBefore) {
    return update("DELETE FROM idempotency_keys WHERE owner = ? AND idem_key = ? AND claim_token = ?"
        + " AND status = ? AND heartbeat_at <= ?", owner, key, token, RUNNING, staleBefore) == 1;
  }

  /** A claim's identity: enough to name its body file. */
  record Claim(String owner, String key, String token) {}

  /** Deletes the rows expired at {@code now}; returns those deleted. */
  List<Claim> deleteExpired(long now) {
    List<Claim> expired = new ArrayList<>();
    String sql = "SELECT owner, idem_key, claim_token FROM idempotency_keys WHERE expires_at <= ?";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setLong(1, now);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) expired.add(new Claim(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not list expired idempotency keys: " + e.getMessage(), e);
    }
    List<Claim> deleted = new ArrayList<>();
    for (Claim claim : expired) {
      // Row by row with the token as guard: a key re-claimed since the SELECT is left alone.
      if (update("DELETE FROM idempotency_keys WHERE owner = ? AND idem_key = ? AND claim_token = ?"
          + " AND expires_at <= ?", claim.owner(), claim.key(), claim.token(), now) == 1) {
        deleted.add(claim);
      }
    }
    return deleted;
  }

  private int update(String sql, Object... args) {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Long l) st.setLong(i + 1, l);
        else if (args[i] instanceof Integer n) st.setInt(i + 1, n);
        else st.setString(i + 1, (String) args[i]);
      }
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not update the idempotency key: " + e.getMessage(), e);
    }
  }
}
