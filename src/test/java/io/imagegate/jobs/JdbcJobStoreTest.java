package io.imagegate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.store.Database;
import io.imagegate.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The jobs table's claims, leases and ends on a real SQLite file and on real PostgreSQL. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class JdbcJobStoreTest {
  private static final long T0 = 1_780_000_000_000L;
  private static final long LEASE = 30_000;
  @Parameter TestDatabase database;
  @TempDir Path dir;
  private Database db;
  private JdbcJobStore store;

  @BeforeEach
  void open() {
    db = Database.open(database.newUrl(dir));
    store = new JdbcJobStore(db.dataSource(), db.isPostgres());
  }

  @AfterEach
  void close() { db.close(); }

  private Job queued(String id, long at) throws Exception {
    Job job = new Job(id, "key-1", "generations", "gpt-image-2", Job.Status.QUEUED, at, 0, 0, "http://gw", "fp", 0, 0,
        null, 1.0);
    store.insert(job, null);
    return job;
  }

  @Test
  void claim_takesTheOldestQueuedJob_andNothingWhenNoneIsLeft() throws Exception {
    queued("job_b", T0 + 1);
    queued("job_a", T0);
    Job first = store.claim("t1", T0 + 10, T0 + 10 + LEASE).orElseThrow();
    assertThat(first.id()).isEqualTo("job_a");
    assertThat(first.status()).isEqualTo(Job.Status.RUNNING);
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(store.claim("t2", T0 + 10, T0 + 10 + LEASE).orElseThrow().id()).isEqualTo("job_b");
    assertThat(store.claim("t3", T0 + 10, T0 + 10 + LEASE)).isEmpty();
  }

  @Test
  void claim_byManyAtOnce_givesEachJobToExactlyOneClaimer() throws Exception {
    for (int i = 0; i < 30; i++) queued("job_%02d".formatted(i), T0 + i);
    Set<String> taken = ConcurrentHashMap.newKeySet();
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      List<Future<Integer>> claimers = new java.util.ArrayList<>();
      for (int c = 0; c < 6; c++) {
        int me = c;
        claimers.add(pool.submit(() -> {
          int n = 0;
          for (int k = 0; k < 20; k++) {
            Optional<Job> job = store.claim("c" + me + "-" + k, T0 + 100, T0 + 100 + LEASE);
            if (job.isPresent()) {
              assertThat(taken.add(job.get().id())).as("claimed twice: " + job.get().id()).isTrue();
              n++;
            }
          }
          return n;
        }));
      }
      int total = 0;
      for (Future<Integer> f : claimers) total += f.get();
      assertThat(total).isEqualTo(30);
    }
    assertThat(taken).hasSize(30);
  }

  @Test
  void aLeaseThatRanOut_isClaimedAgain_andTheOldClaimCanNoLongerFinishOrBeat() throws Exception {
    queued("job_a", T0);
    store.claim("dead", T0, T0 + LEASE).orElseThrow();
    assertThat(store.claim("early", T0 + LEASE - 1, T0 + 2 * LEASE)).as("lease still held").isEmpty();
    Job again = store.claim("alive", T0 + LEASE + 1, T0 + 2 * LEASE).orElseThrow();
    assertThat(again.attempts()).isEqualTo(2);
    assertThat(store.heartbeat("dead", T0 + 3 * LEASE)).isFalse();
    assertThat(store.finish("dead", Job.Status.SUCCEEDED, T0 + LEASE + 5, 0, null)).isFalse();
    assertThat(store.heartbeat("alive", T0 + 3 * LEASE)).isTrue();
    assertThat(store.finish("alive", Job.Status.SUCCEEDED, T0 + LEASE + 6, 0, null)).isTrue();
    assertThat(store.get("job_a").orElseThrow().status()).isEqualTo(Job.Status.SUCCEEDED);
    assertThat(store.cancel("job_a", T0 + LEASE + 7)).as("finished: nothing to cancel").isFalse();
  }

  @Test
  void cancel_ofARunningJob_endsItsClaim_andReleaseHandsARunningJobBack() throws Exception {
    queued("job_a", T0);
    queued("job_b", T0 + 1);
    store.claim("ta", T0, T0 + LEASE).orElseThrow();
    store.claim("tb", T0, T0 + LEASE).orElseThrow();
    assertThat(store.cancel("job_a", T0 + 5)).isTrue();
    assertThat(store.heartbeat("ta", T0 + LEASE)).as("the worker learns of the cancel").isFalse();
    assertThat(store.finish("ta", Job.Status.SUCCEEDED, T0 + 6, 0, null)).isFalse();
    assertThat(store.get("job_a").orElseThrow().status()).isEqualTo(Job.Status.CANCELLED);
    assertThat(store.release("tb")).isTrue();
    assertThat(store.get("job_b").orElseThrow().status()).isEqualTo(Job.Status.QUEUED);
    assertThat(store.claim("tb2", T0 + 7, T0 + LEASE).orElseThrow().id()).isEqualTo("job_b");
  }

  @Test
  void purgeQueries_expireOldQueuedJobs_andListFinishedOnes() throws Exception {
    queued("job_old", T0);
    queued("job_new", T0 + 10_000);
    assertThat(store.expireQueued(T0 + 1, T0 + 20_000)).isEqualTo(1);
    assertThat(store.get("job_old").orElseThrow().status()).isEqualTo(Job.Status.EXPIRED);
    assertThat(store.finishedBefore(T0 + 20_001)).extracting(Job::id).containsExactly("job_old");
    store.delete("job_old");
    assertThat(store.get("job_old")).isEmpty();
    assertThat(store.queued("key-1")).isEqualTo(1);
  }
}
