package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.imagegate.store.Database;
import io.imagegate.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The overview of a window at a fixed now: its hours, buckets, failed outcomes and latency, from the rollup. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class UsageOverviewTest {
  private static final Instant NOW = Instant.parse("2026-04-21T10:17:00Z");

  @Parameter TestDatabase store;
  @TempDir Path tmp;
  private Database db;
  private JdbcUsageLedger ledger;

  @BeforeEach
  void open() {
    db = Database.open(store.newUrl(tmp));
    ledger = new JdbcUsageLedger(db.dataSource());
  }

  @AfterEach
  void close() {
    ledger.close();
    db.close();
  }

  @Test
  void day_sumsTheLast24HoursInHourlyBuckets_theCurrentOneIncluded() {
    ledger.record(row("before", "2026-04-20T10:59:59.999Z", 200, null, 100, 1.0)); // the hour before the window
    ledger.record(row("first", "2026-04-20T11:00:00Z", 200, null, 300, 0.5));
    ledger.record(row("mid-ok", "2026-04-21T02:30:00Z", 200, null, 400, 0.25));
    ledger.record(row("mid-429a", "2026-04-21T02:31:00Z", 429, "rate_limit_exceeded", 5, 0));
    ledger.record(row("mid-429b", "2026-04-21T02:32:00Z", 429, "rate_limit_exceeded", 5, 0));
    ledger.record(row("mid-502", "2026-04-21T02:33:00Z", 502, "upstream_error", 30_000, 0));
    ledger.record(row("now", "2026-04-21T10:16:59Z", 200, null, 450, 0.125));
    ledger.record(row("later", "2026-04-21T11:00:00Z", 200, null, 100, 8.0)); // after now's hour

    UsageOverview o = ledger.overview(OverviewWindow.DAY, NOW);
    assertThat(o.from()).isEqualTo(Instant.parse("2026-04-20T11:00:00Z"));
    assertThat(o.to()).isEqualTo(Instant.parse("2026-04-21T11:00:00Z"));
    assertThat(o.requests()).isEqualTo(6);
    assertThat(o.errors()).isEqualTo(3);
    assertThat(o.images()).isEqualTo(3);
    assertThat(o.costUsd()).isCloseTo(0.875, within(1e-12));
    assertThat(o.series()).hasSize(24);
    for (int i = 0; i < 24; i++) {
      assertThat(o.series().get(i).start()).isEqualTo(o.from().plus(Duration.ofHours(i)));
    }
    assertThat(o.series().getFirst()).isEqualTo(new UsageOverview.Bucket(o.from(), 1, 0, 1, 0.5));
    assertThat(o.series().get(15)).isEqualTo(new UsageOverview.Bucket(Instant.parse("2026-04-21T02:00:00Z"), 4, 3, 1, 0.25));
    assertThat(o.series().getLast()).isEqualTo(new UsageOverview.Bucket(Instant.parse("2026-04-21T10:00:00Z"), 1, 0, 1, 0.125));
    assertThat(o.series().get(1)).isEqualTo(new UsageOverview.Bucket(Instant.parse("2026-04-20T12:00:00Z"), 0, 0, 0, 0));
    assertThat(o.outcomes()).containsExactly(
        new UsageOverview.OutcomeCount(new UsageOutcome(429, "rate_limit_exceeded"), 2),
        new UsageOverview.OutcomeCount(new UsageOutcome(502, "upstream_error"), 1));
    // six latencies: 5, 5, 300, 400, 450 ms and 30 s. The 3rd and 4th fall in (250, 500]: p50 there, p95 in (20 s, 30 s]
    assertThat(o.latency().p50Ms()).isBetween(250.0, 500.0);
    assertThat(o.latency().p95Ms()).isBetween(20_000.0, 30_000.0);
  }

  @Test
  void weekAndMonth_sumTheirHoursInUtcDayBuckets() {
    ledger.record(row("too-early", "2026-04-14T10:59:00Z", 200, null, 10, 1)); // the same day as the first hour, before it
    ledger.record(row("first-hour", "2026-04-14T11:00:00Z", 200, null, 10, 1));
    ledger.record(row("midnight", "2026-04-21T00:00:00Z", 500, "internal_error", 10, 0));
    ledger.record(row("month", "2026-03-22T11:00:00Z", 200, null, 10, 1));

    UsageOverview week = ledger.overview(OverviewWindow.WEEK, NOW);
    assertThat(week.from()).isEqualTo(Instant.parse("2026-04-14T11:00:00Z")); // 168 hours, the current one the last
    assertThat(week.series()).hasSize(8).extracting(UsageOverview.Bucket::start)
        .startsWith(Instant.parse("2026-04-14T00:00:00Z")).endsWith(Instant.parse("2026-04-21T00:00:00Z"));
    assertThat(week.series().getFirst().requests()).isEqualTo(1);
    assertThat(week.series().getLast().errors()).isEqualTo(1);
    assertThat(week.requests()).isEqualTo(2);

    UsageOverview month = ledger.overview(OverviewWindow.MONTH, NOW);
    assertThat(month.from()).isEqualTo(Instant.parse("2026-03-22T11:00:00Z"));
    assertThat(month.series()).hasSize(31);
    assertThat(month.series().getFirst().requests()).isEqualTo(1);
    assertThat(month.requests()).isEqualTo(4);
    assertThat(month.series().stream().mapToLong(UsageOverview.Bucket::requests).sum()).isEqualTo(4);
  }

  @Test
  void nothingRecorded_everyBucketZero_noLatency() {
    UsageOverview o = ledger.overview(OverviewWindow.DAY, NOW);
    assertThat(o.requests()).isZero();
    assertThat(o.latency()).isNull();
    assertThat(o.outcomes()).isEmpty();
    assertThat(o.series()).hasSize(24).allSatisfy(b -> assertThat(b.requests()).isZero());
  }

  @Test
  void window_parse() {
    assertThat(OverviewWindow.parse("24h")).isEqualTo(OverviewWindow.DAY);
    assertThat(OverviewWindow.parse("7d")).isEqualTo(OverviewWindow.WEEK);
    assertThat(OverviewWindow.parse("30d")).isEqualTo(OverviewWindow.MONTH);
    for (String bad : List.of("24H", "1d", " 7d", "")) {
      assertThatThrownBy(() -> OverviewWindow.parse(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("24h, 7d, 30d");
    }
  }

  private static LedgerEntry row(String id, String at, int status, String code, long latencyMs, double cost) {
    return new LedgerEntry(Instant.parse(at), id, "key_a", "gpt-image-2", "dep", "openai", "generations", null, null, 1,
        status < 400 ? 1 : 0, 1, 2, 3, cost, status, code, latencyMs, null, null);
  }
}
