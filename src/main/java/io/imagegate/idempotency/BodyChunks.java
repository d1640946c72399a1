package io.imagegate.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import javax.sql.DataSource;

/**
 * The SQL of {@code idempotency_bodies}: an answer body as base64 TEXT chunks of {@value #CHUNK_BYTES} bytes
 * (before encoding), numbered from 0. Written from the recorded file and read back one chunk at a time, so
 * neither side holds more than one chunk of a 200 MB answer in memory. Base64 TEXT is the one type SQLite
 * and PostgreSQL store alike (their binary types differ); it costs a third more space for a day.
 */
final class BodyChunks {
  static final int CHUNK_BYTES = 1 << 20;

  private final DataSource db;

  BodyChunks(DataSource db) { this.db = db; }

  /** How many chunks a body of {@code bytes} bytes takes; an empty body takes none. */
  static int count(long bytes) {
    long chunks = (bytes + CHUNK_BYTES - 1) / CHUNK_BYTES;
    if (chunks > Integer.MAX_VALUE) throw new IllegalArgumentException("body too large: " + bytes + " bytes");
    return (int) chunks;
  }

  /** Inserts {@code file} as the claim's chunks on {@code c}, inside the caller's transaction. */
  void write(Connection c, ClaimRows.Claim claim, Path file, int expected) throws SQLException, IOException {
    String sql = "INSERT INTO idempotency_bodies (owner, idem_key, claim_token, seq, data) VALUES (?,?,?,?,?)";
    byte[] buffer = new byte[CHUNK_BYTES];
    Base64.Encoder base64 = Base64.getEncoder();
    int seq = 0;
    try (InputStream in = Files.newInputStream(file); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, claim.owner());
      st.setString(2, claim.key());
      st.setString(3, claim.token());
      for (int n; (n = in.readNBytes(buffer, 0, CHUNK_BYTES)) > 0; seq++) {
        ByteBuffer encoded = base64.encode(ByteBuffer.wrap(buffer, 0, n));
        st.setInt(4, seq);
        st.setString(5, new String(encoded.array(), 0, encoded.limit(), StandardCharsets.ISO_8859_1));
        st.executeUpdate();
      }
    }
    if (seq != expected) throw new IOException("the recorded body changed while it was stored");
  }

  /** Deletes the claim's chunks on {@code c}, inside the caller's transaction. */
  void delete(Connection c, ClaimRows.Claim claim) throws SQLException {
    String sql = "DELETE FROM idempotency_bodies WHERE owner = ? AND idem_key = ? AND claim_token = ?";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, claim.owner());
      st.setString(2, claim.key());
      st.setString(3, claim.token());
      st.executeUpdate();
    }
  }

  /** The stored body of a done claim, {@code chunks} chunks and {@code bytes} bytes long. */
  ReplayBody body(ClaimRows.Claim claim, int chunks, long bytes) {
    return () -> new ChunkStream(this, claim, chunks, bytes).start();
  }

  /** One chunk decoded, or null when it is gone (the claim was deleted). One short query per chunk. */
  byte[] read(ClaimRows.Claim claim, int seq) throws IOException {
    String sql = "SELECT data FROM idempotency_bodies WHERE owner = ? AND idem_key = ? AND claim_token = ? AND seq = ?";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, claim.owner());
      st.setString(2, claim.key());
      st.setString(3, claim.token());
      st.setInt(4, seq);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Base64.getDecoder().decode(rs.getString(1)) : null;
      }
    } catch (SQLException | IllegalArgumentException e) {
      throw new IOException("could not read the idempotent answer: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes chunks whose claim row is gone; returns how many. None should exist, since chunks are written
   * and deleted in their row's transactions; this undoes a row deleted by hand. A chunk being written is
   * invisible until its row commits as done, so the sweep never races a writer.
   */
  int sweepOrphans() {
    String sql = "DELETE FROM idempotency_bodies WHERE NOT EXISTS (SELECT 1 FROM idempotency_keys k"
        + " WHERE k.owner = idempotency_bodies.owner AND k.idem_key = idempotency_bodies.idem_key"
        + " AND k.claim_token = idempotency_bodies.claim_token)";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not sweep idempotent answer chunks: " + e.getMessage(), e);
    }
  }
}
