package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imagegate.store.Database;
import io.imagegate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Totals and spend, read from the rollup and the ragged ends of the ledger, against a plain scan of the ledger
 * (the query the rollup replaced) at bounds on, next to and between hour boundaries.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class RollupTotalsTest {
  private static final Instant START = Instant.parse("2026-04-20T22:00:00Z");
  private static final long SPAN_MS = Duration.ofHours(100).toMillis();

  @Parameter TestDatabase store;
  @TempDir Path tmp;
  private Database db;
  private JdbcUsageLedger ledger;

  @BeforeEach
  void fill() throws Exception {
    db = Database.open(store.newUrl(tmp));
    ledger = new JdbcUsageLedger(db.dataSource(), Duration.ofMillis(5), 500);
    Random random = new Random(7);
    List<LedgerEntry> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      // a few rows right on hour boundaries and one millisecond before them
      long at = i % 50 == 0 ? (random.nextInt(100) * 3_600_000L - (i % 100 == 0 ? 1 : 0)) : (long) (random.nextDouble() * SPAN_MS);
      int status = random.nextInt(10) == 0 ? 429 : 200;
      rows.add(new LedgerEntry(START.plusMillis(Math.max(0, at)), "r" + i, "key_" + random.nextInt(4),
          "model-" + random.nextInt(3), "dep", random.nextBoolean() ? "openai" : null, "generations", null, null, 2,
          status == 200 ? 1 + random.nextInt(2) : 0, random.nextInt(50), random.nextInt(500), random.nextInt(5000),
          status == 200 ? random.nextInt(100_000) / 1e6 : 0, status, status == 200 ? null : "rate_limit_exceeded",
          random.nextInt(90_000), null, null));
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (LedgerEntry e : rows) pool.submit(() -> ledger.record(e));
    }
  }

  @AfterEach
  void close() {
    ledger.close();
    db.close();
  }

  @Test
  void totals_atAnyBounds_equalAScanOfTheLedger() throws Exception {
    List<Instant[]> windows = new ArrayList<>();
    windows.add(new Instant[] {null, null});
    windows.add(new Instant[] {START.plusSeconds(7200), START.plusSeconds(36_000)}); // whole hours only
    windows.add(new Instant[] {START.plusSeconds(7200).minusMillis(1), START.plusSeconds(36_000).plusMillis(1)});
    windows.add(new Instant[] {START.plusSeconds(7200).plusMillis(1), START.plusSeconds(36_000).minusMillis(1)});
    windows.add(new Instant[] {START.plusSeconds(4000), START.plusSeconds(4100)}); // inside one hour
    windows.add(new Instant[] {START.plusSeconds(3000), START.plusSeconds(4000)}); // across one boundary, no whole hour
    windows.add(new Instant[] {START.plusSeconds(4000), START.plusSeconds(4000)}); // empty
    windows.add(new Instant[] {START.plusSeconds(9000), START.plusSeconds(4000)}); // reversed
    Instant day = Instant.parse("2026-04-21T00:00:00Z");
    windows.add(new Instant[] {day, day.plus(Duration.ofDays(2))}); // whole days only
    windows.add(new Instant[] {day.minusSeconds(1800), day.plus(Duration.ofDays(2)).plusSeconds(5400).plusMillis(7)});
    windows.add(new Instant[] {day.plusSeconds(3600), day.plus(Duration.ofDays(1)).minusSeconds(3600)}); // hours, no day
    windows.add(new Instant[] {day.minusMillis(1), day.plus(Duration.ofDays(1)).plusMillis(1)});
    windows.add(new Instant[] {null, START.plusSeconds(50_000).plusMillis(123)});
    windows.add(new Instant[] {START.plusSeconds(50_000).plusMillis(123), null});
    Random random = new Random(11);
    for (int i = 0; i < 12; i++) {
      long a = (long) (random.nextDouble() * SPAN_MS);
      long b = a + (long) (random.nextDouble() * (SPAN_MS - a));
      windows.add(new Instant[] {START.plusMillis(a), START.plusMillis(b)});
    }
    int compared = 0;
    for (Instant[] w : windows) {
      for (String key : new String[] {null, "key_2"}) {
        for (String model : new String[] {null, "model-1"}) {
          UsageQuery q = new UsageQuery(w[0], w[1], key, model);
          for (GroupBy g : GroupBy.values()) {
            List<UsageTotal> expected = scan(q, g);
            List<UsageTotal> actual = ledger.totals(q, g);
            assertThat(actual).as("%s %s", q, g).hasSameSizeAs(expected);
            for (int k = 0; k < expected.size(); k++) {
              UsageTotal e = expected.get(k), t = actual.get(k);
              assertThat(t).as("%s %s", q, g).usingRecursiveComparison().ignoringFields("costUsd").isEqualTo(e);
              assertThat(t.costUsd()).as("%s %s", q, g).isCloseTo(e.costUsd(), within(1e-9));
            }
            compared += expected.size();
          }
          if (key != null) {
            assertThat(ledger.spend(key, w[0], w[1])).isCloseTo(scanSpend(q), within(1e-9));
          }
        }
      }
    }
    assertThat(compared).as("groups compared").isGreaterThan(400);
  }

  /** The full scan the rollup replaced. */
  private List<UsageTotal> scan(UsageQuery q, GroupBy groupBy) throws Exception {
    String group = switch (groupBy) {
      case DAY -> "created_at / 86400000";
      case KEY -> "key_id";
      case MODEL -> "model_asked";
    };
    List<Object> args = new ArrayList<>();
    String sql = "SELECT " + group + ", COUNT(*), SUM(images_returned), SUM(text_in_tokens), SUM(image_in_tokens),"
        + " SUM(image_out_tokens), SUM(cost_usd) FROM usage_ledger" + LedgerRows.where(q, args) + " GROUP BY " + group
        + " ORDER BY " + group;
    try (Connection c = db.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      LedgerRows.bindAll(st, args);
      try (ResultSet rs = st.executeQuery()) {
        List<UsageTotal> out = new ArrayList<>();
        while (rs.next()) {
          String g = groupBy == GroupBy.DAY ? LocalDate.ofEpochDay(rs.getLong(1)).toString() : rs.getString(1);
          out.add(new UsageTotal(g, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getDouble(7)));
        }
        return out;
      }
    }
  }

  private double scanSpend(UsageQuery q) throws Exception {
    return scan(new UsageQuery(q.from(), q.to(), q.keyId(), null), GroupBy.KEY).stream().mapToDouble(UsageTotal::costUsd).sum();
  }
}
