package io.imagegate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One statement on a connection of the pool, for the feature stores that bind plain values: a failure becomes
 * an {@link IllegalStateException} naming what was being read or written.
 */
public final class Sql {
  /** Reads one row of a result set into a value. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private Sql() {}

  /** Runs an {@code UPDATE}, {@code INSERT} or {@code DELETE}; the rows it changed. */
  public static int update(DataSource db, String what, String sql, Object... args) {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, args);
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update " + what + ": " + e.getMessage(), e);
    }
  }

  /** Runs a query; its rows, each read by {@code row}. */
  public static <T> List<T> query(DataSource db, String what, String sql, Row<T> row, Object... args) {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, args);
      List<T> found = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) found.add(row.read(rs));
      }
      return found;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /** Binds strings, longs, integers, doubles and nulls, in order from the first parameter. */
  public static void bind(PreparedStatement st, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case String s -> st.setString(i + 1, s);
        case Long l -> st.setLong(i + 1, l);
        case Integer n -> st.setInt(i + 1, n);
        case Double d -> st.setDouble(i + 1, d);
        case null -> st.setNull(i + 1, Types.NULL);
        default -> throw new IllegalArgumentException("unbindable " + args[i].getClass());
      }
    }
  }
}
