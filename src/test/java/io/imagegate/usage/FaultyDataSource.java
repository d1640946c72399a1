package io.imagegate.usage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A real data source that breaks the ledger's statements on demand: the ledger insert's batch fails or comes
 * back without update counts, one request id's insert fails, or the rollup's upsert fails. Everything else
 * goes to the real database.
 */
final class FaultyDataSource {
  /** What to break now; change it between records. */
  static final class Faults {
    /** The ledger insert's executeBatch throws, inserting nothing. */
    volatile boolean batchFails;
    /** The ledger insert's executeBatch runs, then answers SUCCESS_NO_INFO for every row (as some drivers do). */
    volatile boolean batchSaysNoInfo;
    /** Any insert of this request id throws (in a batch, or alone). */
    volatile String poisonRequestId;
    /** The rollup's upsert throws. */
    volatile boolean rollupFails;
  }

  private FaultyDataSource() {}

  static DataSource wrap(DataSource real, Faults faults) {
    return proxy(DataSource.class, real, (target, method, args) -> {
      Object out = call(target, method, args);
      return out instanceof Connection c ? proxy(Connection.class, c, connection(faults)) : out;
    });
  }

  private static InvocationHandler connection(Faults faults) {
    return (target, method, args) -> {
      Object out = call(target, method, args);
      if (method.getName().equals("prepareStatement") && out instanceof PreparedStatement st) {
        return proxy(PreparedStatement.class, st, statement(faults, (String) args[0]));
      }
      return out;
    };
  }

  private static InvocationHandler statement(Faults faults, String sql) {
    boolean ledgerInsert = sql.startsWith("INSERT INTO usage_ledger");
    boolean rollupUpsert = sql.startsWith("INSERT INTO usage_rollup");
    List<String> batchIds = new ArrayList<>();
    String[] currentId = new String[1];
    return (target, method, args) -> {
      switch (method.getName()) {
        case "setString" -> {
          if ((Integer) args[0] == 1) currentId[0] = (String) args[1];
        }
        case "addBatch" -> batchIds.add(currentId[0]);
        case "executeUpdate" -> {
          if (ledgerInsert && Objects.equals(faults.poisonRequestId, currentId[0])) throw new SQLException("injected: poison row");
        }
        case "executeBatch" -> {
          List<String> ids = new ArrayList<>(batchIds);
          batchIds.clear();
          if (rollupUpsert && faults.rollupFails) throw new SQLException("injected: rollup upsert fails");
          if (ledgerInsert && (faults.batchFails || ids.contains(faults.poisonRequestId))) {
            throw new SQLException("injected: batch fails");
          }
          if (ledgerInsert && faults.batchSaysNoInfo) {
            int[] counts = (int[]) call(target, method, args);
            Arrays.fill(counts, Statement.SUCCESS_NO_INFO);
            return counts;
          }
        }
        default -> { }
      }
      return call(target, method, args);
    };
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (p, method, args) -> handler.invoke(target, method, args));
  }
}
