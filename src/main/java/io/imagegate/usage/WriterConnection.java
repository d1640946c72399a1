package io.imagegate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The ledger writer's connection, kept from one batch to the next while rows keep coming, with the statements
 * it prepared on it: a batch then costs its rows and one commit, not a pool checkout and four statements
 * compiled again (on SQLite a batch under load is often one or two rows, and compiling the insert and the
 * three rollup upserts took about as long as running them).
 *
 * <p>Implementation notes: the connection stays in manual-commit mode while held. It goes back to the pool when
 * the writer has been idle a second, when it has been held {@value #MAX_HELD_MILLIS} ms (so the pool can still
 * retire it at its maximum lifetime), and after any failure on it (a broken connection is then replaced).
 * Statements handed out by {@link #prepare} belong to this object: callers must not close them. Used by the
 * writer thread only.
 */
final class WriterConnection implements AutoCloseable {
  static final long MAX_HELD_MILLIS = 60_000;
  private final DataSource db;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private Connection connection;
  private long heldSince;

  WriterConnection(DataSource db) { this.db = db; }

  /** The held connection (taken from the pool if none is), in manual-commit mode. */
  Connection get() throws SQLException {
    if (connection == null) {
      Connection c = db.getConnection();
      try {
        c.setAutoCommit(false);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
      heldSince = System.currentTimeMillis();
    }
    return connection;
  }

  /** The statement for {@code sql} on the held connection, prepared once; its batch empty; not to be closed by the caller. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement st = statements.get(sql);
    if (st == null) {
      st = get().prepareStatement(sql);
      statements.put(sql, st);
    } else {
      st.clearBatch(); // whatever a failed batch may have left in it
    }
    return st;
  }

  /** Whether the connection has been held long enough to go back to the pool. */
  boolean heldTooLong() { return connection != null && System.currentTimeMillis() - heldSince > MAX_HELD_MILLIS; }

  /** Closes the statements and gives the connection back to the pool (after a rollback of anything left). */
  @Override
  public void close() {
    for (PreparedStatement st : statements.values()) {
      try {
        st.close();
      } catch (SQLException ignored) {
        // going away with its connection
      }
    }
    statements.clear();
    Connection c = connection;
    connection = null;
    if (c == null) return;
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // a broken connection: the pool finds it so and drops it
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing more to do with it
    }
  }
}
