package io.imagegate.batch;

import io.imagegate.store.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code batch_files} and {@code batches} tables, the same SQL on SQLite and PostgreSQL.
 *
 * <p>Implementation notes: the work on a batch that must happen once (validating its input and submitting its
 * lines, assembling its output files) is claimed by setting {@code finalize_until} on a row whose claim is
 * empty or ran out, in one {@code UPDATE} that names the status it expects; an instance that dies while it
 * holds the claim lets another (or itself restarted) take the work up again once it runs out.
 */
final class JdbcBatchStore {
  private static final String FILE_COLUMNS = "id, key_id, purpose, filename, bytes, created_at";
  private static final String BATCH_COLUMNS = "id, key_id, endpoint, input_file_id, status, metadata, errors, total,"
      + " output_file_id, error_file_id, created_at, in_progress_at, finalizing_at, completed_at, failed_at,"
      + " expires_at, expired_at, cancelling_at, cancelled_at, completed, failed, base_url";

  private final DataSource db;

  JdbcBatchStore(DataSource db) { this.db = db; }

  void insertFile(StoredFile f) {
    update("INSERT INTO batch_files (" + FILE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", f.id(), f.keyId(),
        f.purpose(), f.filename(), f.bytes(), f.createdAt());
  }

  Optional<StoredFile> file(String id) {
    List<StoredFile> found = files("SELECT " + FILE_COLUMNS + " FROM batch_files WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }

  /** The key's files (every key's when {@code keyId} is null), newest first, older than {@code after}. */
  List<StoredFile> files(String keyId, String purpose, String after, int limit) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + FILE_COLUMNS + " FROM batch_files WHERE 1 = 1");
    if (keyId != null) {
      sql.append(" AND key_id = ?");
      args.add(keyId);
    }
    if (purpose != null) {
      sql.append(" AND purpose = ?");
      args.add(purpose);
    }
    if (after != null) {
      sql.append(" AND id < ?");
      args.add(after);
    }
    sql.append(" ORDER BY id DESC LIMIT ").append(limit);
    return files(sql.toString(), args.toArray());
  }

  boolean deleteFile(String id) { return update("DELETE FROM batch_files WHERE id = ?", id) == 1; }

  void insertBatch(Batch b) {
    update("INSERT INTO batches (id, key_id, endpoint, input_file_id, status, metadata, total, created_at,"
        + " expires_at, base_url) VALUES (?, ?, ?, ?, 'validating', ?, 0, ?, ?, ?)", b.id(), b.keyId(), b.endpoint(),
        b.inputFileId(), b.metadata(), b.createdAt(), b.expiresAt(), b.baseUrl());
  }

  Optional<Batch> batch(String id) {
    List<Batch> found = batches("SELECT " + BATCH_COLUMNS + " FROM batches WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }

  List<Batch> batches(String keyId, String after, int limit) {
    String sql = "SELECT " + BATCH_COLUMNS + " FROM batches WHERE " + (keyId == null ? "1 = 1" : "key_id = ?")
        + (after == null ? "" : " AND id < ?") + " ORDER BY id DESC LIMIT " + limit;
    List<Object> args = new ArrayList<>();
    if (keyId != null) args.add(keyId);
    if (after != null) args.add(after);
    return batches(sql, args.toArray());
  }

  /** Batches not yet ended, oldest first: the ones this instance's runner looks at. */
  List<Batch> open() {
    return batches("SELECT " + BATCH_COLUMNS + " FROM batches WHERE status IN ('validating', 'in_progress',"
        + " 'cancelling', 'finalizing') ORDER BY id");
  }

  /** Claims a batch's once-only work until {@code until}, moving it from {@code from} to {@code to}. */
  boolean claim(String id, String from, String to, String stampColumn, long now, long until) {
    return update("UPDATE batches SET status = ?, finalize_until = ?" + (stampColumn == null ? ""
        : ", " + stampColumn + " = ?") + " WHERE id = ? AND status = ? AND (finalize_until IS NULL OR finalize_until < ?)",
        stampColumn == null ? new Object[] {to, until, id, from, now} : new Object[] {to, until, now, id, from, now})
        == 1;
  }

  /** Validation passed: the batch's lines are jobs now. */
  void started(String id, int total, long now) {
    update("UPDATE batches SET status = CASE WHEN status = 'validating' THEN 'in_progress' ELSE status END,"
        + " total = ?, in_progress_at = ?, finalize_until = NULL WHERE id = ? AND status IN ('validating',"
        + " 'cancelling')", total, now, id);
  }

  /** Validation failed: the errors' {@code data} array, as JSON text. */
  void failed(String id, String errors, long now) {
    update("UPDATE batches SET status = 'failed', errors = ?, failed_at = ?, finalize_until = NULL WHERE id = ?"
        + " AND status IN ('validating', 'cancelling')", errors, now, id);
  }

  /** Marks the batch cancelling; false when it had already ended (or was cancelling). */
  boolean cancelling(String id, long now) {
    return update("UPDATE batches SET status = 'cancelling', cancelling_at = ? WHERE id = ? AND status IN"
        + " ('validating', 'in_progress')", now, id) == 1;
  }

  /** Gives up a claim this instance holds (it stops): the next runner takes the work up at once. */
  void release(String id) { update("UPDATE batches SET finalize_until = NULL WHERE id = ?", id); }

  /** Ends a finalizing batch as {@code status}, stamping {@code stampColumn}, with its files and counts. */
  void ended(String id, String status, String stampColumn, long now, String outputFileId, String errorFileId,
      int completed, int failed) {
    update("UPDATE batches SET status = ?, " + stampColumn + " = ?, output_file_id = ?, error_file_id = ?,"
        + " completed = ?, failed = ?, finalize_until = NULL WHERE id = ? AND status = 'finalizing'", status, now,
        outputFileId, errorFileId, completed, failed, id);
  }

  private List<StoredFile> files(String sql, Object... args) {
    return Sql.query(db, "batch_files", sql, rs -> new StoredFile(rs.getString(1), rs.getString(2), rs.getString(3),
        rs.getString(4), rs.getLong(5), rs.getLong(6)), args);
  }

  private List<Batch> batches(String sql, Object... args) {
    return Sql.query(db, "batches", sql, rs -> new Batch(rs.getString(1), rs.getString(2), rs.getString(3),
        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9),
        rs.getString(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15),
        rs.getLong(16), rs.getLong(17), rs.getLong(18), rs.getLong(19), rs.getInt(20), rs.getInt(21),
        rs.getString(22)), args);
  }

  private int update(String sql, Object... args) { return Sql.update(db, "the batch tables", sql, args); }
}
