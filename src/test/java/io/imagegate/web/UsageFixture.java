package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.store.Database;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestDatabase;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.LedgerEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

/**
 * A real gateway on SQLite or PostgreSQL for the usage API's tests, and a second pool with its own ledger
 * writer on the same store (as another instance would be) that seeds rows through the same code the
 * gateway writes them with, its rollup included.
 */
final class UsageFixture implements AutoCloseable {
  private final RunningGateway gateway;
  private final Database seedDb;
  private final JdbcUsageLedger seeder;
  private final Path dir;

  private UsageFixture(TestDatabase store) {
    try {
      dir = Files.createTempDirectory("imagegate-usage-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url = store.newUrl(dir);
    gateway = RunningGateway.start(Map.of("IMAGEGATE_DATABASE_URL", url));
    seedDb = Database.open(url);
    seeder = new JdbcUsageLedger(seedDb.dataSource(), Duration.ofMillis(5), 1000);
  }

  static UsageFixture start(TestDatabase store) { return new UsageFixture(store); }

  /** Records the rows, many at once (so in a few transactions), and returns when all are committed. */
  void seed(List<LedgerEntry> rows) {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (LedgerEntry e : rows) pool.submit(() -> seeder.record(e));
    }
  }

  DataSource store() { return seedDb.dataSource(); }

  RunningGateway gateway() { return gateway; }

  /** GET with the master key; the answer must be 200 JSON. */
  JsonNode get(String pathAndQuery) {
    Http.Answer a = Http.get(gateway.url(pathAndQuery), RunningGateway.MASTER_KEY);
    assertThat(a.status()).as("%s: %s", pathAndQuery, a.json()).isEqualTo(200);
    assertThat(a.header("content-type")).startsWith("application/json");
    return a.json();
  }

  /** GET with the master key that must be refused with a 400 invalid_value on {@code param}. */
  void assertInvalid(String pathAndQuery, String param) {
    Http.Answer a = Http.get(gateway.url(pathAndQuery), RunningGateway.MASTER_KEY);
    assertThat(a.status()).as(pathAndQuery).isEqualTo(400);
    JsonNode error = a.error();
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("code").asText()).isEqualTo("invalid_value");
    assertThat(error.get("param").asText()).as(pathAndQuery).isEqualTo(param);
    assertThat(error.get("message").asText()).contains(param);
  }

  @Override
  public void close() {
    seeder.close();
    seedDb.close();
    gateway.close();
    try (var files = Files.walk(dir)) { // the SQLite file, if any
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
