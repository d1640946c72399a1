package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests, one per test JVM, started on first use from the binaries on this
 * machine ({@code $IMAGEGATE_TEST_PG_BIN}, the PATH, or Debian's {@code /usr/lib/postgresql/<version>/bin}) in a
 * fresh cluster under a temp folder, on a free loopback port, and stopped when the JVM exits. PostgreSQL
 * refuses to run as root, so as root the cluster belongs to the {@code postgres} user and is run through
 * {@code runuser}. Each caller gets its own database, so tests never see each other's rows.
 *
 * <p>Set {@code IMAGEGATE_TEST_DATABASE_URL} (a JDBC URL to a database whose user may create databases) to
 * use a server you run instead.
 */
public final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static volatile TestPostgres instance;

  private final String adminUrl; // JDBC URL of the server's 'postgres' database, with user
  private final String urlPrefix;
  private final String urlSuffix;

  private TestPostgres(String adminUrl, String urlPrefix, String urlSuffix) {
    this.adminUrl = adminUrl;
    this.urlPrefix = urlPrefix;
    this.urlSuffix = urlSuffix;
  }

  /** The server, started on the first call. */
  public static TestPostgres get() {
    TestPostgres s = instance;
    if (s != null) return s;
    synchronized (TestPostgres.class) {
      if (instance == null) instance = start();
      return instance;
    }
  }

  /** A JDBC URL (user included) to a new, empty database on the server. */
  public String newDatabase() {
    String name = "it_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create a test database: " + e.getMessage(), e);
    }
    return urlPrefix + name + urlSuffix;
  }

  private static TestPostgres start() {
    String given = System.getenv("IMAGEGATE_TEST_DATABASE_URL");
    if (given != null && !given.isBlank()) {
      int q = given.indexOf('?');
      String base = q < 0 ? given : given.substring(0, q);
      String suffix = q < 0 ? "" : given.substring(q);
      String prefix = base.substring(0, base.lastIndexOf('/') + 1);
      return new TestPostgres(given, prefix, suffix);
    }
    Path bin = ServerProcess.findBinary("initdb", "IMAGEGATE_TEST_PG_BIN",
        ServerProcess.versionedBins(Path.of("/usr/lib/postgresql"))).getParent();
    int port = ServerProcess.freePort();
    Path dir;
    try {
      dir = Files.createTempDirectory("imagegate-pg");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path data = dir.resolve("data");
    List<String> asOwner = new ArrayList<>();
    if (ServerProcess.isRoot()) {
      ServerProcess.run(List.of("chown", "postgres", dir.toString()));
      asOwner.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    ServerProcess.run(concat(asOwner, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "imagegate",
        "--auth=trust", "-E", "UTF8", "--no-sync"));
    // fsync off: the tests kill gateways, never this server, and the suite runs faster for it.
    ServerProcess.run(concat(asOwner, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
        "-l", dir.resolve("server.log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
            + " -c fsync=off -c max_connections=400 -c shared_buffers=64MB", "start"));
    List<String> stop = concat(asOwner, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        ServerProcess.run(stop);
      } catch (RuntimeException ignored) {
        // already gone
      }
      ServerProcess.deleteTree(dir);
    }));
    String prefix = "jdbc:postgresql://127.0.0.1:" + port + "/";
    return new TestPostgres(prefix + "postgres?user=imagegate", prefix, "?user=imagegate");
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
