package io.imagegate.usage;

import io.imagegate.store.Database;
import java.time.Instant;

/**
 * Run by {@link LedgerKillTest} in its own JVM: records rows from 16 virtual threads forever, printing
 * {@code ok <id>} after each {@code record()} returns, until it is killed.
 */
public final class LedgerCrashChild {
  public static void main(String[] args) throws Exception {
    Database db = Database.open(args[0]);
    JdbcUsageLedger ledger = new JdbcUsageLedger(db.dataSource());
    for (int t = 0; t < 16; t++) {
      int thread = t;
      Thread.ofVirtual().start(() -> {
        for (long i = 0; ; i++) {
          String id = "t" + thread + "_" + i;
          ledger.record(new LedgerEntry(Instant.now(), id, "key_a", "gpt-image-2", null, null, "generations", null, null,
              1, 1, 0, 0, 0, 0.01, 200, null, 1, null, null));
          synchronized (System.out) {
            System.out.println("ok " + id);
            System.out.flush();
          }
        }
      });
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
