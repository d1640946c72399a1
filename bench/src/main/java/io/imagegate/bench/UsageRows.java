package io.imagegate.bench;

import io.imagegate.store.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.flywaydb.core.Flyway;

/**
 * A usage ledger of a busy month for {@link UsagePageBenchmark}: {@code rows} rows spread over the 30 days
 * before now (busier by day than by night), 36 keys (a few heavy, many light), five models on three
 * providers, about 6% failures of eight kinds, latencies of seconds to minutes.
 *
 * <p>Filled fast and the way an upgrade meets it: the store is migrated to V5 (no rollup yet), the rows go in
 * with JDBC batches of 10,000 per transaction, then the store is opened as the gateway opens it, so Flyway's
 * V6 and V8 build the rollups from them ({@code INSERT ... SELECT ... GROUP BY}) and the new indexes.
 * PostgreSQL is then analysed, as autovacuum would soon do; SQLite is left as the gateway leaves it.
 */
final class UsageRows {
  static final int KEYS = 36;
  static final String[] MODELS = {"gpt-image-2", "gpt-image-1", "gpt-image-1-mini", "dall-e-3", "flux-pro"};
  private static final double[] MODEL_SHARE = {0.45, 0.25, 0.15, 0.10, 0.05};
  /** Failures by share of all rows: status, error code, typical latency in ms. */
  private static final Object[][] FAILURES = {
      {429, "rate_limit_exceeded", 2L, 0.020}, {429, "upstream_rate_limited", 900L, 0.008},
      {400, "invalid_value", 3L, 0.010}, {502, "upstream_error", 20_000L, 0.007}, {504, "upstream_timeout", 300_000L, 0.005},
      {403, "model_not_allowed", 2L, 0.003}, {499, "client_closed_request", 40_000L, 0.005},
      {400, "moderation_blocked", 6_000L, 0.002}};
  private static final String INSERT = "INSERT INTO usage_ledger (request_id, created_at, key_id, model_asked, deployment,"
      + " provider, endpoint, size, quality, n_asked, images_returned, text_in_tokens, image_in_tokens, image_out_tokens,"
      + " cost_usd, status, error_code, latency_ms, end_user, prompt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
      + " ?, ?, ?, ?)";

  private UsageRows() {}

  /** The key ids: {@code key_00} … {@code key_35}. */
  static String key(int i) { return String.format("key_%02d", i); }

  /**
   * Makes sure the store at {@code jdbcUrl} holds {@code rows} ledger rows and the rollup of V6: fills a
   * store that is empty, keeps one that holds them already. Prints what it did and how long it took.
   */
  static void ensure(String jdbcUrl, int rows) throws SQLException {
    long there = count(jdbcUrl);
    if (there == rows) {
      System.out.printf("usage rows: %,d already in the store%n", rows);
      return;
    }
    if (there > 0) throw new IllegalStateException("the store holds " + there + " other ledger rows: give it an empty one");
    long t0 = System.nanoTime();
    Flyway.configure().dataSource(jdbcUrl, null, null).locations("classpath:db/migration").target("5").load().migrate();
    insert(jdbcUrl, rows, Instant.now());
    long t1 = System.nanoTime();
    Database.open(jdbcUrl).close(); // V6 and later: the rollups from these rows, and the indexes
    long t2 = System.nanoTime();
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      try (Connection c = DriverManager.getConnection(jdbcUrl); Statement st = c.createStatement()) {
        st.execute("ANALYZE");
      }
    }
    System.out.printf("usage rows: %,d inserted in %.1f s; the migrations from V6 on (rollups, indexes) took %.1f s;"
        + " rollup rows: %,d hourly, %,d daily, %,d status%n", rows, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
        scalar(jdbcUrl, "SELECT COUNT(*) FROM usage_rollup"), scalar(jdbcUrl, "SELECT COUNT(*) FROM usage_rollup_daily"),
        scalar(jdbcUrl, "SELECT COUNT(*) FROM usage_rollup_status"));
  }

  private static long count(String jdbcUrl) {
    try {
      return scalar(jdbcUrl, "SELECT COUNT(*) FROM usage_ledger WHERE EXISTS (SELECT 1 FROM usage_rollup)");
    } catch (SQLException noTablesYet) {
      return -1;
    }
  }

  private static long scalar(String jdbcUrl, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void insert(String jdbcUrl, int rows, Instant now) throws SQLException {
    String url = jdbcUrl.startsWith("jdbc:postgresql:")
        ? jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true" : jdbcUrl;
    Random r = new Random(42);
    byte[] id = new byte[12];
    long start = now.minus(Duration.ofDays(30)).toEpochMilli();
    long span = Duration.ofDays(30).toMillis();
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement st = c.prepareStatement(INSERT)) {
        for (int i = 0; i < rows; i++) {
          long at;
          do {
            at = start + (long) (r.nextDouble() * span);
          } while (r.nextDouble() > daytime(at)); // fewer rows at night (UTC)
          int model = pick(r, MODEL_SHARE);
          int key = (int) Math.min(KEYS - 1, Math.floor(KEYS * Math.pow(r.nextDouble(), 2.2))); // key_00 the busiest
          r.nextBytes(id);
          Object[] failure = failure(r);
          int status = failure == null ? 200 : (Integer) failure[0];
          boolean ok = status == 200;
          int n = r.nextInt(8) == 0 ? 2 : 1;
          long outTokens = ok ? n * (model == 0 ? 1_600L + r.nextInt(5_000) : 1_056L + r.nextInt(3_000)) : 0;
          long latency = ok ? (long) (12_000 * Math.exp(0.6 * r.nextGaussian())) : (long) failure[2] + r.nextInt(1_000);
          st.setString(1, "req_" + HexFormat.of().formatHex(id));
          st.setLong(2, at);
          st.setString(3, key(key));
          st.setString(4, MODELS[model]);
          st.setString(5, model >= 3 ? MODELS[model] + "-main" : r.nextInt(10) < 7 ? "openai-main" : "azure-east");
          st.setString(6, model == 4 ? "compatible" : model == 3 ? "openai" : r.nextInt(10) < 7 ? "openai" : "azure");
          st.setString(7, r.nextInt(6) == 0 ? "edits" : "generations");
          st.setString(8, r.nextBoolean() ? "1024x1024" : "1536x1024");
          st.setString(9, new String[] {"low", "medium", "high"}[r.nextInt(3)]);
          st.setInt(10, n);
          st.setInt(11, ok ? n : 0);
          st.setLong(12, ok ? 10 + r.nextInt(200) : 0);
          st.setLong(13, ok && r.nextInt(6) == 0 ? 500 + r.nextInt(2_000) : 0);
          st.setLong(14, outTokens);
          st.setDouble(15, ok ? Math.round(outTokens * 30.0 + 5.0 * 100) / 1e6 : 0);
          st.setInt(16, status);
          if (failure == null) st.setNull(17, Types.VARCHAR);
          else st.setString(17, (String) failure[1]);
          st.setLong(18, latency);
          st.setNull(19, Types.VARCHAR);
          st.setNull(20, Types.VARCHAR);
          st.addBatch();
          if ((i + 1) % 10_000 == 0 || i == rows - 1) {
            st.executeBatch();
            c.commit();
          }
        }
      }
    }
  }

  /** How likely a moment is kept: 1 in the UTC afternoon, 0.3 at night. */
  private static double daytime(long epochMillis) {
    double hour = (epochMillis / 3_600_000.0) % 24;
    return 0.65 + 0.35 * Math.sin((hour - 8) / 24 * 2 * Math.PI);
  }

  private static Object[] failure(Random r) {
    double x = r.nextDouble();
    for (Object[] f : FAILURES) {
      x -= (double) f[3];
      if (x < 0) return f;
    }
    return null;
  }

  private static int pick(Random r, double[] shares) {
    double x = r.nextDouble();
    for (int i = 0; i < shares.length - 1; i++) {
      x -= shares[i];
      if (x < 0) return i;
    }
    return shares.length - 1;
  }
}
