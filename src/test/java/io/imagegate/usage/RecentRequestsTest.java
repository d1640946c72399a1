package io.imagegate.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.store.Database;
import io.imagegate.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Pages of the ledger newest first: every row once across pages, ties on the millisecond included, per filter. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class RecentRequestsTest {
  private static final Instant T0 = Instant.parse("2026-04-21T10:00:00Z");

  @Parameter TestDatabase store;
  @TempDir Path tmp;
  private Database db;
  private JdbcUsageLedger ledger;
  private final List<LedgerEntry> rows = new ArrayList<>();

  @BeforeEach
  void fill() {
    db = Database.open(store.newUrl(tmp));
    ledger = new JdbcUsageLedger(db.dataSource(), Duration.ofMillis(5), 1000);
    String[][] outcomes = {{"200", null}, {"200", null}, {"200", null}, {"429", "rate_limit_exceeded"},
        {"429", "upstream_rate_limited"}, {"502", "upstream_error"}, {"400", "invalid_value"}, {"400", ""}};
    for (int i = 0; i < 230; i++) {
      String[] o = outcomes[i % outcomes.length];
      int status = Integer.parseInt(o[0]);
      // every third row shares its millisecond with the one before: the request id orders them
      Instant at = T0.plusMillis((i - i / 3) * 1000L);
      rows.add(new LedgerEntry(at, String.format("r%04d", i), "key_" + i % 3, i % 5 == 0 ? "gpt-image-1" : "gpt-image-2",
          "dep", "openai", "generations", "1024x1024", "low", 1, status < 400 ? 1 : 0, 1, 2, 3, status < 400 ? 0.01 : 0,
          status, o[1], 100 + i, "end-user-" + i, "a prompt " + i));
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (LedgerEntry e : rows) pool.submit(() -> ledger.record(e));
    }
    rows.sort(Comparator.comparing(LedgerEntry::at).thenComparing(LedgerEntry::requestId).reversed());
  }

  @AfterEach
  void close() {
    ledger.close();
    db.close();
  }

  @Test
  void pages_walkEveryRowOnce_newestFirst_withoutUserOrPrompt() {
    List<LedgerEntry> seen = walk(RequestFilter.none(), 7);
    assertThat(seen).extracting(LedgerEntry::requestId).containsExactlyElementsOf(ids(rows));
    assertThat(seen).allSatisfy(e -> {
      assertThat(e.user()).isNull();
      assertThat(e.prompt()).isNull();
    });
    LedgerEntry stored = rows.stream().filter(e -> e.requestId().equals("r0005")).findFirst().orElseThrow();
    assertThat(seen.stream().filter(e -> e.requestId().equals("r0005")).findFirst().orElseThrow())
        .usingRecursiveComparison().ignoringFields("user", "prompt").isEqualTo(stored);
  }

  @Test
  void eachFilter_walksExactlyTheMatchingRows() {
    check(new RequestFilter("key_1", null, null, null, null), e -> e.keyId().equals("key_1"));
    check(new RequestFilter(null, "gpt-image-1", null, null, null), e -> e.modelAsked().equals("gpt-image-1"));
    check(new RequestFilter(null, null, 429, 429, null), e -> e.status() == 429);
    check(new RequestFilter(null, null, 400, 499, null), e -> e.status() >= 400 && e.status() < 500);
    check(new RequestFilter("key_2", "gpt-image-2", 200, 299, null),
        e -> e.keyId().equals("key_2") && e.modelAsked().equals("gpt-image-2") && e.status() == 200);
    // an outcome with no code matches the ledger's NULL and '' alike
    check(new RequestFilter(null, null, null, null, List.of(new UsageOutcome(429, "rate_limit_exceeded"),
        new UsageOutcome(400, ""))), e -> e.status() == 429 && "rate_limit_exceeded".equals(e.errorCode())
            || e.status() == 400 && e.errorCode() == null || e.status() == 400 && "".equals(e.errorCode()));
    check(new RequestFilter(null, null, null, null, List.of(new UsageOutcome(200, ""))), e -> e.status() == 200);
    check(new RequestFilter("key_0", null, 500, 599, List.of(new UsageOutcome(502, "upstream_error"))),
        e -> e.keyId().equals("key_0") && e.status() == 502);
    assertThat(ledger.requests(new RequestFilter(null, null, null, null, List.of()), null, 10).rows()).isEmpty();
    assertThat(ledger.requests(new RequestFilter("nobody", null, null, null, null), null, 10).rows()).isEmpty();
  }

  @Test
  void aRowWrittenBetweenPages_doesNotShiftTheNextPage() {
    RequestPage first = ledger.requests(RequestFilter.none(), null, 10);
    ledger.record(new LedgerEntry(T0.plusSeconds(100_000), "newest", "key_0", "gpt-image-2", null, null, "generations",
        null, null, 1, 1, 0, 0, 0, 0, 200, null, 1, null, null));
    RequestPage second = ledger.requests(RequestFilter.none(), first.next(), 10);
    assertThat(ids(second.rows())).containsExactlyElementsOf(ids(rows.subList(10, 20)));
  }

  @Test
  void cursor_roundTrips_andAnythingElseIsRefused() {
    RequestCursor c = new RequestCursor(1_776_765_600_123L, "req_ab:c");
    assertThat(RequestCursor.decode(c.encode())).isEqualTo(c);
    assertThat(c.encode()).doesNotContain("req_").matches("[A-Za-z0-9_-]+");
    for (String bad : List.of("", "!!", "bm90LWEtY3Vyc29y", "OnJlcQ", "MTIzOg", "LTE6cg", c.encode() + "*")) {
      assertThatThrownBy(() -> RequestCursor.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private void check(RequestFilter filter, Predicate<LedgerEntry> matches) {
    List<String> expected = ids(rows.stream().filter(matches).toList());
    assertThat(expected).as("rows matching %s", filter).isNotEmpty();
    assertThat(ids(walk(filter, 9))).as("%s", filter).containsExactlyElementsOf(expected);
  }

  /** Every page of the filter, following the cursors; checks has_more on the way. */
  private List<LedgerEntry> walk(RequestFilter filter, int limit) {
    List<LedgerEntry> all = new ArrayList<>();
    RequestCursor cursor = null;
    for (int pages = 0; pages < 1000; pages++) {
      RequestPage page = ledger.requests(filter, cursor, limit);
      all.addAll(page.rows());
      if (!page.hasMore()) return all;
      assertThat(page.rows()).hasSize(limit);
      cursor = page.next();
    }
    throw new AssertionError("too many pages");
  }

  private static List<String> ids(List<LedgerEntry> entries) { return entries.stream().map(LedgerEntry::requestId).toList(); }
}
