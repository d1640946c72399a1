package io.imagegate.web;

import io.imagegate.api.ApiException;
import io.imagegate.api.ImageRequest;
import io.imagegate.api.Operation;
import io.imagegate.auth.ApiKey;
import io.imagegate.engine.ImagePipeline;
import io.imagegate.provider.ImageJob;
import io.imagegate.usage.BudgetGuard;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.LedgerEntry;
import io.imagegate.usage.Pricing;
import io.imagegate.usage.Usage;
import io.javalin.http.Context;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one ledger row per images request. A success is recorded, durably, before the first byte of its
 * answer is sent, so an answered 200 is always in the ledger; a failure is recorded at no cost.
 */
final class UsageRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
  private final JdbcUsageLedger ledger;
  private final Pricing pricing;
  private final boolean keepPrompts;
  private final BudgetGuard budgets;

  UsageRecorder(JdbcUsageLedger ledger, Pricing pricing, boolean keepPrompts, BudgetGuard budgets) {
    this.ledger = ledger;
    this.pricing = pricing;
    this.keepPrompts = keepPrompts;
    this.budgets = budgets;
  }

  /**
   * Holds the job's worst-case cost against the key's budget until closed (429 {@code insufficient_quota} when
   * it does not fit); close it only after the real charge was recorded.
   */
  BudgetGuard.Reservation reserve(ApiKey key, ImageJob job) {
    return budgets.reserve(key, pricing.cost(job.options().model().id(), ImagePipeline.worstCase(job)));
  }

  /** Records the charge of an answer about to be sent; throws (and nothing is sent) if it cannot be stored. */
  void success(Context ctx, ApiKey key, ImageRequest r, Operation op, ImagePipeline.Answer a, long startNanos,
      BudgetGuard.Reservation held) {
    Usage usage = a.usage();
    int images = a.batch().events().isPresent() ? a.job().options().n() : a.batch().count();
    LedgerEntry entry = entry(ctx, key, r, op, a.deployment(), a.provider(), a.facts().size(), a.facts().quality(), images,
        usage, pricing.cost(a.job().options().model().id(), usage), 200, null, startNanos);
    held.settle(entry.costUsd(), () -> ledger.record(entry));
  }

  /** Records a refused or failed request: it costs nothing. Never hides the original error. */
  void failure(Context ctx, ApiKey key, ImageRequest r, Operation op, int status, String code, long startNanos) {
    if (key == null) return;
    try {
      ledger.record(entry(ctx, key, r, op, null, null, r == null ? null : r.size(), r == null ? null : r.quality(),
          0, new Usage(0, 0, 0), 0, status, code, startNanos));
    } catch (RuntimeException e) {
      LOG.warn("could not record a failed request in the ledger: {}", e.getMessage());
    }
  }

  void failure(Context ctx, ApiKey key, ImageRequest r, Operation op, ApiException e, long startNanos) {
    failure(ctx, key, r, op, e.status(), e.code(), startNanos);
  }

  private LedgerEntry entry(Context ctx, ApiKey key, ImageRequest r, Operation op, String deployment,
      String provider, String size, String quality, int images, Usage usage, double cost, int status, String code,
      long startNanos) {
    String requestId = ctx.res().getHeader("x-request-id");
    return new LedgerEntry(Instant.now(), requestId, key.id(), r == null ? "-" : r.modelOrDefault(), deployment,
        provider, op == Operation.EDIT ? "edits" : "generations", size, quality, r == null || r.n() == null ? 1 : r.n(),
        images, usage.textIn(), usage.imageIn(), usage.imageOut(), cost, status, code,
        (System.nanoTime() - startNanos) / 1_000_000, r == null ? null : r.user(),
        keepPrompts && r != null ? r.prompt() : null);
  }
}
