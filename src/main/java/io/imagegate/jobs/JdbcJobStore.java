package io.imagegate.jobs;

import io.imagegate.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code image_jobs} table, the same SQL on SQLite and PostgreSQL but for the claim's row lock.
 *
 * <p>Implementation notes: a claim is one {@code UPDATE} that sets a fresh claim token as the lease owner on
 * the oldest job that is queued or whose lease ran out, chosen by a subquery ({@code FOR UPDATE SKIP LOCKED}
 * on PostgreSQL, so that instances claiming at once take different rows; SQLite runs one writer at a time).
 * The outer {@code WHERE} checks the status again, so a row claimed by someone else in between is not taken
 * twice. Every later write by the worker (heartbeat, finish) names its claim token: a worker whose lease was
 * lost or whose job was cancelled changes nothing.
 */
final class JdbcJobStore {
  private static final String COLUMNS = "id, key_id, operation, model, status, created_at, started_at, finished_at,"
      + " base_url, fingerprint, attempts, error_status, error, price_factor";
  /** Queued (and not put off until later: lease_until on a queued job is its not-before), or a lease that ran out. */
  private static final String CLAIMABLE = "((status = 'queued' AND (lease_until IS NULL OR lease_until < ?))"
      + " OR (status = 'running' AND lease_until < ?))";

  private final DataSource db;
  private final String claimSql;

  JdbcJobStore(DataSource db, boolean postgres) {
    this.db = db;
    this.claimSql = "UPDATE image_jobs SET status = 'running', lease_owner = ?, lease_until = ?, started_at = ?,"
        + " attempts = attempts + 1 WHERE id = (SELECT id FROM image_jobs WHERE " + CLAIMABLE
        + " ORDER BY created_at, id LIMIT 1" + (postgres ? " FOR UPDATE SKIP LOCKED" : "") + ") AND " + CLAIMABLE;
  }

  void insert(Job j, String idempotencyKey) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("INSERT INTO image_jobs ("
        + "id, key_id, operation, model, status, created_at, base_url, idem_key, fingerprint, attempts)"
        + " VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, 0)")) {
      st.setString(1, j.id());
      st.setString(2, j.keyId());
      st.setString(3, j.operation());
      st.setString(4, j.model());
      st.setLong(5, j.createdAt());
      st.setString(6, j.baseUrl());
      st.setString(7, idempotencyKey);
      st.setString(8, j.fingerprint());
      st.executeUpdate();
    }
  }

  /**
   * Inserts a batch's line as a job: queued to run, or already failed (a line refused at the batch's creation,
   * with {@code errorStatus} and {@code error}).
   */
  void insertLine(Job j, String batchId, int lineNo, String customId) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("INSERT INTO image_jobs ("
        + "id, key_id, operation, model, status, created_at, finished_at, base_url, fingerprint, attempts,"
        + " error_status, error, batch_id, line_no, custom_id, price_factor)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)")) {
      Sql.bind(st, j.id(), j.keyId(), j.operation(), j.model(), j.status().wire(), j.createdAt(),
          j.status().finished() ? j.createdAt() : null, j.baseUrl(), j.fingerprint(), j.errorStatus(), j.error(),
          batchId, lineNo, customId, j.priceFactor());
      st.executeUpdate();
    }
  }

  /** A batch's lines in line order: the job, its line number and custom_id. */
  List<ImageJobs.Line> lines(String batchId) {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS
        + ", line_no, custom_id FROM image_jobs WHERE batch_id = ? ORDER BY line_no")) {
      st.setString(1, batchId);
      List<ImageJobs.Line> lines = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          lines.add(new ImageJobs.Line(rs.getString(1), rs.getInt(15), rs.getString(16), rs.getString(5),
              rs.getInt(12), rs.getString(13)));
        }
      }
      return lines;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read a batch's lines: " + e.getMessage(), e);
    }
  }

  /** Cancels a batch's lines that have not started; returns how many. */
  int cancelQueuedLines(String batchId, long now) {
    return update("UPDATE image_jobs SET status = 'cancelled', finished_at = ? WHERE batch_id = ?"
        + " AND status = 'queued'", now, batchId);
  }

  Optional<Job> get(String id) {
    List<Job> found = query("SELECT " + COLUMNS + " FROM image_jobs WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }

  Optional<Job> byIdempotencyKey(String keyId, String idempotencyKey) {
    List<Job> found = query("SELECT " + COLUMNS + " FROM image_jobs WHERE key_id = ? AND idem_key = ?", keyId,
        idempotencyKey);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }

  /** The key's jobs, newest first, those older than {@code after} (a job id) when it is given. */
  List<Job> list(String keyId, String after, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM image_jobs WHERE key_id = ? AND batch_id IS NULL" + (after == null ? "" : " AND id < ?")
        + " ORDER BY id DESC LIMIT " + limit;
    return after == null ? query(sql, keyId) : query(sql, keyId, after);
  }

  int queued(String keyId) {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT COUNT(*) FROM image_jobs WHERE key_id = ? AND status = 'queued' AND batch_id IS NULL")) {
      st.setString(1, keyId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count queued jobs: " + e.getMessage(), e);
    }
  }

  /** Claims the oldest claimable job for {@code token} until {@code leaseUntil}; empty when there is none. */
  Optional<Job> claim(String token, long now, long leaseUntil) {
    // a read first: an idle worker's poll takes no write lock (SQLite has one for the whole store)
    if (query("SELECT " + COLUMNS + " FROM image_jobs WHERE " + CLAIMABLE + " LIMIT 1", now, now).isEmpty()) {
      return Optional.empty();
    }
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(claimSql)) {
      st.setString(1, token);
      st.setLong(2, leaseUntil);
      for (int i = 3; i <= 7; i++) st.setLong(i, now); // started_at, then CLAIMABLE's two times, twice
      if (st.executeUpdate() == 0) return Optional.empty();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot claim a job: " + e.getMessage(), e);
    }
    List<Job> found = query("SELECT " + COLUMNS + " FROM image_jobs WHERE lease_owner = ? AND status = 'running'",
        token);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }

  /** Extends a claim's lease; false when the claim is no longer running (cancelled, or taken over). */
  boolean heartbeat(String token, long leaseUntil) {
    return update("UPDATE image_jobs SET lease_until = ? WHERE lease_owner = ? AND status = 'running'",
        leaseUntil, token) == 1;
  }

  /** Ends a claim's job as succeeded or failed; false (nothing changed) when the claim no longer runs it. */
  boolean finish(String token, Job.Status status, long now, int errorStatus, String error) {
    return update("UPDATE image_jobs SET status = ?, finished_at = ?, error_status = ?, error = ?, lease_owner = NULL"
        + " WHERE lease_owner = ? AND status = 'running'", status.wire(), now, errorStatus, error, token) == 1;
  }

  /** Hands a claim's job back to the queue (its instance stops); false when the claim no longer runs it. */
  boolean release(String token) {
    return update("UPDATE image_jobs SET status = 'queued', lease_owner = NULL, lease_until = NULL"
        + " WHERE lease_owner = ? AND status = 'running'", token) == 1;
  }

  /**
   * Hands a claim's job back to the queue, not to be claimed before {@code notBefore} (every deployment was
   * busy); false when the claim no longer runs it.
   */
  boolean defer(String token, long notBefore) {
    return update("UPDATE image_jobs SET status = 'queued', lease_owner = NULL, lease_until = ?"
        + " WHERE lease_owner = ? AND status = 'running'", notBefore, token) == 1;
  }

  /** Cancels a job that is queued or running; false when it had already finished. */
  boolean cancel(String id, long now) {
    return update("UPDATE image_jobs SET status = 'cancelled', finished_at = ?, lease_owner = NULL WHERE id = ?"
        + " AND status IN ('queued', 'running')", now, id) == 1;
  }

  /** Marks jobs queued since before {@code cutoff} expired; returns how many. */
  int expireQueued(long cutoff, long now) {
    return update("UPDATE image_jobs SET status = 'expired', finished_at = ? WHERE status = 'queued'"
        + " AND created_at < ?", now, cutoff);
  }

  /** Jobs finished before {@code cutoff}, to be deleted with their documents. */
  List<Job> finishedBefore(long cutoff) {
    return query("SELECT " + COLUMNS + " FROM image_jobs WHERE status IN ('succeeded', 'failed', 'cancelled',"
        + " 'expired') AND finished_at < ? ORDER BY finished_at LIMIT 1000", cutoff);
  }

  void delete(String id) { update("DELETE FROM image_jobs WHERE id = ?", id); }

  private int update(String sql, Object... args) { return Sql.update(db, "image_jobs", sql, args); }

  private List<Job> query(String sql, Object... args) { return Sql.query(db, "image_jobs", sql, JdbcJobStore::job, args); }

  private static Job job(ResultSet rs) throws SQLException {
    return new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        Job.Status.of(rs.getString(5)), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9),
        rs.getString(10), rs.getInt(11), rs.getInt(12), rs.getString(13),
        rs.getObject(14) == null ? 1.0 : rs.getDouble(14));
  }
}
