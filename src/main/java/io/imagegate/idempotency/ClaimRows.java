package io.imagegate.idempotency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The SQL of the {@code idempotency_keys} table, portable between SQLite and PostgreSQL. Every change to a
 * claim is guarded by its {@code claim_token}, so a claimant that lost its claim (taken over, expired)
 * changes nothing. A claim's body chunks ({@link BodyChunks}) are written in the transaction that marks it
 * done and deleted in the one that deletes it, so no reader ever sees a done row without its body and no
 * chunk outlives its row.
 */
final class ClaimRows {
  static final String RUNNING = "running";
  static final String DONE = "done";

  /**
   * One row as read back. {@code headersJson} and {@code httpStatus} are set once done; {@code bodyChunks}
   * and {@code bodyBytes} too when the body is in the database (null: it is a file).
   */
  record Row(String requestHash, String token, String status, int httpStatus, String headersJson,
             long expiresAt, long heartbeatAt, Integer bodyChunks, Long bodyBytes) {}

  /** A claim's identity: enough to name its body. */
  record Claim(String owner, String key, String token) {}

  private final DataSource db;
  private final BodyChunks chunks;

  ClaimRows(DataSource db) {
    this.db = db;
    this.chunks = new BodyChunks(db);
  }

  BodyChunks chunks() { return chunks; }

  /**
   * Inserts a running claim; false when a row for (owner, key) exists already. {@code ON CONFLICT DO NOTHING}
   * (SQLite 3.24+, PostgreSQL 9.5+) reports "taken" as zero rows rather than an error, which PostgreSQL would
   * also log on every duplicate.
   */
  boolean insert(String owner, String key, String hash, String token, long now, long expiresAt) {
    String sql = "INSERT INTO idempotency_keys (owner, idem_key, request_hash, claim_token, status, created_at,"
        + " expires_at, heartbeat_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING";
    try (Connection c = db.getConnection()) {
      return update(c, sql, owner, key, hash, token, RUNNING, now, expiresAt, now) == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("could not claim the idempotency key: " + e.getMessage(), e);
    }
  }

  Row find(String owner, String key) {
    String sql = "SELECT request_hash, claim_token, status, http_status, headers, expires_at, heartbeat_at,"
        + " body_chunks, body_bytes FROM idempotency_keys WHERE owner = ? AND idem_key = ?";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, owner);
      st.setString(2, key);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) return null;
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
            rs.getLong(6), rs.getLong(7), rs.getObject(8) == null ? null : rs.getInt(8),
            rs.getObject(9) == null ? null : rs.getLong(9));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the idempotency key: " + e.getMessage(), e);
    }
  }

  /** Marks a running claim done, its body being a file; false when the claim is no longer this token's. */
  boolean complete(String owner, String key, String token, int httpStatus, String headersJson, long now) {
    return update("UPDATE idempotency_keys SET status = ?, http_status = ?, headers = ?, heartbeat_at = ?"
        + " WHERE owner = ? AND idem_key = ? AND claim_token = ? AND status = ?",
        DONE, httpStatus, headersJson, now, owner, key, token, RUNNING) == 1;
  }

  /**
   * Marks a running claim done and copies {@code body} into its chunks, in one transaction; false (and
   * nothing stored) when the claim is no longer this token's. The guarded UPDATE comes first: on PostgreSQL
   * its row lock makes a concurrent stale takeover wait for the commit and then find the row done.
   */
  boolean complete(String owner, String key, String token, int httpStatus, String headersJson, long now,
                   Path body) throws IOException {
    long bytes = Files.size(body);
    int count = BodyChunks.count(bytes);
    String sql = "UPDATE idempotency_keys SET status = ?, http_status = ?, headers = ?, heartbeat_at = ?,"
        + " body_chunks = ?, body_bytes = ? WHERE owner = ? AND idem_key = ? AND claim_token = ? AND status = ?";
    try (Connection c = db.getConnection()) {
      return inTransaction(c, () -> {
        if (update(c, sql, DONE, httpStatus, headersJson, now, count, bytes, owner, key, token, RUNNING) != 1) {
          return false;
        }
        chunks.write(c, new Claim(owner, key, token), body, count);
        return true;
      });
    } catch (SQLException e) {
      throw new IllegalStateException("the database refused the body: " + e.getMessage(), e);
    }
  }

  /** Refreshes a running claim's heartbeat; false when the claim is no longer this token's. */
  boolean heartbeat(String owner, String key, String token, long now) {
    return update("UPDATE idempotency_keys SET heartbeat_at = ? WHERE owner = ? AND idem_key = ?"
        + " AND claim_token = ? AND status = ?", now, owner, key, token, RUNNING) == 1;
  }

  /** Deletes the row (and its chunks) if it is still this token's claim; false when someone else changed it first. */
  boolean delete(String owner, String key, String token) {
    return deleteClaim("DELETE FROM idempotency_keys WHERE owner = ? AND idem_key = ? AND claim_token = ?",
        new Claim(owner, key, token));
  }

  /** Deletes a running claim (and any chunks) whose heartbeat is not newer than {@code staleBefore}. */
  boolean deleteStale(String owner, String key, String token, long staleBefore) {
    return deleteClaim("DELETE FROM idempotency_keys WHERE owner = ? AND idem_key = ? AND claim_token = ?"
        + " AND status = ? AND heartbeat_at <= ?", new Claim(owner, key, token), RUNNING, staleBefore);
  }

  /** Deletes the rows expired at {@code now}, with their chunks; returns those deleted. */
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
      if (deleteClaim("DELETE FROM idempotency_keys WHERE owner = ? AND idem_key = ? AND claim_token = ?"
          + " AND expires_at <= ?", claim, now)) {
        deleted.add(claim);
      }
    }
    return deleted;
  }

  /** Runs {@code sql} (owner, key, token, then {@code more} as parameters) and, if it deleted the row, the chunks. */
  private boolean deleteClaim(String sql, Claim claim, Object... more) {
    Object[] args = new Object[3 + more.length];
    args[0] = claim.owner();
    args[1] = claim.key();
    args[2] = claim.token();
    System.arraycopy(more, 0, args, 3, more.length);
    try (Connection c = db.getConnection()) {
      return inTransaction(c, () -> {
        if (update(c, sql, args) != 1) return false;
        chunks.delete(c, claim);
        return true;
      });
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("could not delete the idempotency key: " + e.getMessage(), e);
    }
  }

  private interface Work {
    boolean run() throws SQLException, IOException;
  }

  /** Commits when {@code work} returns true, rolls back when it returns false or throws. */
  private static boolean inTransaction(Connection c, Work work) throws SQLException, IOException {
    c.setAutoCommit(false);
    boolean committed = false;
    try {
      if (work.run()) {
        c.commit();
        committed = true;
      }
      return committed;
    } finally {
      if (!committed) rollbackQuietly(c);
      c.setAutoCommit(true);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The pool discards a broken connection; an open transaction dies with it.
    }
  }

  private int update(String sql, Object... args) {
    try (Connection c = db.getConnection()) {
      return update(c, sql, args);
    } catch (SQLException e) {
      throw new IllegalStateException("could not update the idempotency key: " + e.getMessage(), e);
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Long l) st.setLong(i + 1, l);
        else if (args[i] instanceof Integer n) st.setInt(i + 1, n);
        else st.setString(i + 1, (String) args[i]);
      }
      return st.executeUpdate();
    }
  }
}
