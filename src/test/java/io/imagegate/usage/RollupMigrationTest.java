package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imagegate.store.Database;
import io.imagegate.store.DatabaseUrl;
import io.imagegate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** V6 on a store that already holds ledger rows: the rollup and the outcomes are filled from them. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class RollupMigrationTest {
  private static final long TEN = Instant.parse("2026-04-21T10:00:00Z").toEpochMilli();

  @Parameter TestDatabase store;
  @TempDir Path tmp;

  @Test
  void migratingAStoreWithLedgerRows_fillsTheRollupFromThem_thenTheWriterAddsToIt() throws Exception {
    String url = DatabaseUrl.toJdbc(store.newUrl(tmp));
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("5").load().migrate();
    try (Connection c = DriverManager.getConnection(url)) {
      // latencies on either side of bucket bounds; NULL and '' error codes and a NULL provider
      insert(c, "a", TEN, "openai", 200, null, 250, 0.5);
      insert(c, "b", TEN + 1, "openai", 200, null, 251, 0.25);
      insert(c, "c", TEN + 3_599_999, "openai", 200, "", 600_000, 0.125);
      insert(c, "d", TEN + 3_600_000, "openai", 200, null, 600_001, 1);
      insert(c, "e", TEN + 60_000, null, 429, "rate_limit_exceeded", 3, 0);
    }
    try (Database db = Database.open(url)) {
      Map<String, RollupTables.Cell> cells = RollupTables.rollup(db.dataSource());
      long hour = TEN / 3_600_000;
      RollupTables.Cell ten = cells.get(hour + "|key_a|gpt-image-2|openai|200|");
      // requests, images, text in, image in, image out, latency sum, then le_250ms .. le_600s
      assertThat(ten.counts()).containsExactly(3L, 3L, 30L, 0L, 300L, 600_501L, 1L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L,
          2L, 3L);
      assertThat(ten.costUsd()).isCloseTo(0.875, within(1e-12));
      assertThat(cells.get((hour + 1) + "|key_a|gpt-image-2|openai|200|").buckets()).containsOnly(0L);
      assertThat(cells.get(hour + "|key_a|gpt-image-2||429|rate_limit_exceeded").requests()).isEqualTo(1);
      assertThat(cells).hasSize(3);
      RollupTables.assertRollupIsTheLedger(db.dataSource());

      try (JdbcUsageLedger ledger = new JdbcUsageLedger(db.dataSource())) {
        assertThat(ledger.outcomes()).containsExactly(new UsageOutcome(200, ""), new UsageOutcome(429, "rate_limit_exceeded"));
        ledger.record(UsageRollupTest.row("f", Instant.ofEpochMilli(TEN + 5), 100, 2, 200, null));
        ledger.record(UsageRollupTest.row("a", Instant.ofEpochMilli(TEN), 100, 2, 200, null)); // there before V6
        assertThat(RollupTables.rollup(db.dataSource()).get(hour + "|key_a|gpt-image-2|openai|200|").requests()).isEqualTo(4);
        RollupTables.assertRollupIsTheLedger(db.dataSource());
        assertThat(ledger.totals(UsageQuery.all(), GroupBy.DAY).getFirst().requests()).isEqualTo(6);
      }
    }
  }

  private static void insert(Connection c, String id, long at, String provider, int status, String code, long latencyMs,
      double cost) throws Exception {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO usage_ledger (request_id, created_at, key_id, model_asked,"
        + " provider, endpoint, n_asked, images_returned, text_in_tokens, image_in_tokens, image_out_tokens, cost_usd,"
        + " status, error_code, latency_ms) VALUES (?, ?, 'key_a', 'gpt-image-2', ?, 'generations', 1, ?, 10, 0, 100, ?,"
        + " ?, ?, ?)")) {
      st.setString(1, id);
      st.setLong(2, at);
      if (provider == null) st.setNull(3, Types.VARCHAR);
      else st.setString(3, provider);
      st.setInt(4, status < 400 ? 1 : 0);
      st.setDouble(5, cost);
      st.setInt(6, status);
      if (code == null) st.setNull(7, Types.VARCHAR);
      else st.setString(7, code);
      st.setLong(8, latencyMs);
      st.executeUpdate();
    }
  }
}
