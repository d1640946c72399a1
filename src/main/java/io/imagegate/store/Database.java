package io.imagegate.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The shared database: a connection pool over SQLite (the embedded default) or PostgreSQL, migrated by
 * Flyway from {@code db/migration} on open. Feature SQL lives in its feature's package.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;

  private final boolean postgres;

  private Database(HikariDataSource pool, boolean postgres) {
    this.pool = pool;
    this.postgres = postgres;
  }

  /**
   * Opens (creating the SQLite file's folder if needed) and migrates to the latest schema.
   *
   * @param url a JDBC URL or a {@code postgres://} URL, see {@link DatabaseUrl}
   */
  public static Database open(String url) {
    String jdbcUrl = DatabaseUrl.toJdbc(url);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("imagegate-db");
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      createParent(jdbcUrl.substring("jdbc:sqlite:".length()));
      // SQLite allows one writer: a small pool with WAL lets readers run beside it and waits out locks.
      config.setMaximumPoolSize(4);
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("busy_timeout", "10000");
      config.addDataSourceProperty("synchronous", "NORMAL");
      config.setConnectionInitSql("PRAGMA busy_timeout=10000");
    } else {
      // Requests hold a connection only for single short statements; the ledger writer holds one per batch.
      config.setMaximumPoolSize(16);
      config.setConnectionTimeout(10_000);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      // The driver's message names the host and the reason, never the password; the URL is not repeated whole.
      throw new IllegalStateException("cannot open the store (" + DatabaseUrl.describe(jdbcUrl) + "): "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
    try {
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw new IllegalStateException("cannot migrate the store (" + DatabaseUrl.describe(jdbcUrl) + "): "
          + e.getMessage(), e);
    }
    return new Database(pool, DatabaseUrl.isPostgres(jdbcUrl));
  }

  public DataSource dataSource() { return pool; }

  /** Whether this is PostgreSQL (shared by several instances) rather than the embedded SQLite file. */
  public boolean isPostgres() { return postgres; }

  /** Whether the store answers a trivial query now; drives {@code GET /ready}. */
  public boolean reachable() {
    try (Connection c = pool.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() { pool.close(); }

  private static void createParent(String file) {
    if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) return;
    Path parent = Path.of(file).toAbsolutePath().getParent();
    try {
      if (parent != null) Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create the data directory " + parent + ": " + e.getMessage(), e);
    }
  }
}
