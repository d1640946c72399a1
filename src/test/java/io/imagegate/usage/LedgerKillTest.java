package io.imagegate.usage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.store.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A request answered 200 is in the ledger when the client gets its answer, and stays there through kill -9";
 * its rollup cell with it.
 */
class LedgerKillTest {
  @TempDir Path tmp;

  @Test
  void everyAcknowledgedRow_survivesKillMinus9() throws Exception {
    String url = "jdbc:sqlite:" + tmp.resolve("usage.db");
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", cp, LedgerCrashChild.class.getName(), url)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Set<String> acked = new HashSet<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ok ")) acked.add(line.substring(3));
        // SIGKILL mid-stream; through the handle, so the pipe stays open and every ack printed before it is read
        if (acked.size() == 3000) child.toHandle().destroyForcibly();
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL: it did not get to shut down
    assertThat(acked).hasSizeGreaterThanOrEqualTo(3000);
    try (Database db = Database.open(url)) {
      Set<String> stored = new HashSet<>();
      new JdbcUsageLedger(db.dataSource()).entries(UsageQuery.all()).forEach(e -> stored.add(e.requestId()));
      assertThat(stored).containsAll(acked);
      // the rollup was written in each row's transaction: what survived of one survived of the other
      RollupTables.assertRollupIsTheLedger(db.dataSource());
      assertThat(RollupTables.sum(db.dataSource(), "requests")).isEqualTo(stored.size());
    }
  }
}
