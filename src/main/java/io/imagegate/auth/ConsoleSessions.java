package io.imagegate.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The dashboard's sign-in sessions in the {@code console_sessions} table: an admin key is exchanged once for
 * a random token that the browser keeps in an HttpOnly cookie. Only the token's hash is stored, so a copy of
 * the database opens no session. Every gateway instance on the same store sees every session, and signing
 * out ends it everywhere.
 */
public final class ConsoleSessions {
  /** How long a session lasts from sign-in. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  private final DataSource db;
  private final Clock clock;

  public ConsoleSessions(DataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** One session: who signed in, with which master key if it was the master key, and until when. */
  public record Session(String keyId, String masterHash, Instant expiresAt) {}

  /** A new session for this key; the token returned is shown to the browser once and never stored. */
  public String open(String keyId, String masterHash) {
    String token = KeySecrets.newSecret();
    long now = clock.millis();
    String sql = "INSERT INTO console_sessions (token_hash, key_id, master_hash, created_at, expires_at)"
        + " VALUES (?,?,?,?,?)";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, KeySecrets.hash(token));
      st.setString(2, keyId);
      if (masterHash == null) st.setNull(3, Types.VARCHAR);
      else st.setString(3, masterHash);
      st.setLong(4, now);
      st.setLong(5, now + LIFETIME.toMillis());
      st.executeUpdate();
      return token;
    } catch (SQLException e) {
      throw new IllegalStateException("could not open a session: " + e.getMessage(), e);
    }
  }

  /** The live session of this token; empty when unknown, ended or expired. */
  public Optional<Session> find(String token) {
    if (token == null || token.isEmpty() || token.length() > 200) return Optional.empty();
    String sql = "SELECT key_id, master_hash, expires_at FROM console_sessions WHERE token_hash = ? AND expires_at > ?";
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, KeySecrets.hash(token));
      st.setLong(2, clock.millis());
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        return Optional.of(new Session(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the sessions: " + e.getMessage(), e);
    }
  }

  /** Ends the session of this token (signing out); nothing happens for an unknown one. */
  public void close(String token) {
    if (token == null || token.isEmpty() || token.length() > 200) return;
    update("DELETE FROM console_sessions WHERE token_hash = ?", KeySecrets.hash(token));
  }

  /** Deletes the expired sessions (housekeeping; safe on every instance at once). */
  public void purgeExpired() {
    try (Connection c = db.getConnection();
        PreparedStatement st = c.prepareStatement("DELETE FROM console_sessions WHERE expires_at <= ?")) {
      st.setLong(1, clock.millis());
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not purge the sessions: " + e.getMessage(), e);
    }
  }

  private void update(String sql, String arg) {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, arg);
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not update the sessions: " + e.getMessage(), e);
    }
  }
}
