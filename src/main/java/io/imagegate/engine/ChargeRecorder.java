package io.imagegate.engine;

import io.imagegate.api.ApiException;
import io.imagegate.api.ImageRequest;
import io.imagegate.api.ModelCatalog;
import io.imagegate.api.ModelSpec;
import io.imagegate.api.Operation;
import io.imagegate.auth.ApiKey;
import io.imagegate.metrics.GatewayMetrics;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.ImageJob;
import io.imagegate.trace.ServerSpan;
import io.imagegate.usage.BudgetGuard;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.LedgerEntry;
import io.imagegate.usage.Pricing;
import io.imagegate.usage.Usage;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one ledger row per images request. A success is recorded, durably, before its answer is complete
 * (before its first byte for an answer held whole, before its closing bytes for one relayed as it arrives),
 * so an answered 200 is always in the ledger; a failure is recorded at no cost.
 */
final class ChargeRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(ChargeRecorder.class);
  private final JdbcUsageLedger ledger;
  private final Pricing pricing;
  private final boolean keepPrompts;
  private final BudgetGuard budgets;
  private final GatewayMetrics metrics;

  ChargeRecorder(JdbcUsageLedger ledger, Pricing pricing, boolean keepPrompts, BudgetGuard budgets,
      GatewayMetrics metrics) {
    this.ledger = ledger;
    this.pricing = pricing;
    this.keepPrompts = keepPrompts;
    this.budgets = budgets;
    this.metrics = metrics;
  }

  /**
   * One images call as the ledger sees it; {@code recorded} and its span are told its row once written.
   *
   * @param failureId the request id of the call's row when it fails: the request id, except for a job's run,
   *     whose charge goes under the job's id (charged once however often it runs) and whose free failure row
   *     goes under the attempt's, so that a failed attempt never keeps a later one from being charged
   * @param priceFactor what the list price is multiplied by in the ledger: 1, or a batch line's discount
   */
  record Call(String requestId, ApiKey key, Operation operation, long startNanos,
      java.util.function.Consumer<LedgerEntry> recorded, ServerSpan span, CallNotes notes, String failureId,
      double priceFactor) {

    Call(String requestId, ApiKey key, Operation operation, long startNanos,
        java.util.function.Consumer<LedgerEntry> recorded, ServerSpan span, CallNotes notes, String failureId) {
      this(requestId, key, operation, startNanos, recorded, span, notes, failureId, 1.0);
    }

    Call(String requestId, ApiKey key, Operation operation, long startNanos,
        java.util.function.Consumer<LedgerEntry> recorded, ServerSpan span, CallNotes notes) {
      this(requestId, key, operation, startNanos, recorded, span, notes, requestId);
    }
  }

  /**
   * Holds the job's worst-case cost against the key's budget until closed (429 {@code insufficient_quota} when
   * it does not fit); close it only after the real charge was recorded.
   */
  BudgetGuard.Reservation reserve(ApiKey key, ImageJob job) {
    try {
      return budgets.reserve(key, pricing.cost(job.options().model().id(), ImagePipeline.worstCase(job),
          job.options().n()));
    } catch (ApiException e) {
      if ("insufficient_quota".equals(e.code()) && key.budget() != null) {
        metrics.budgetRefusal(key.budget().period().wire());
      }
      throw e;
    }
  }

  /**
   * Records the charge of an answer; throws (and the answer must not complete) if it cannot be stored.
   *
   * @param upstreamModel the model the answering deployment names upstream, or null
   */
  void success(Call call, ImageRequest r, ImageJob job, String deployment, String provider, String upstreamModel,
      AnswerFacts facts, int images, Usage usage, BudgetGuard.Reservation held) {
    LedgerEntry entry = entry(call, r, deployment, provider, facts.size(), facts.quality(), images, usage,
        pricing.cost(pricedModel(job, upstreamModel), usage, images) * call.priceFactor(), 200, null);
    held.settle(entry.costUsd(), () -> ledger.record(entry));
    metrics.call(entry); // counted once recorded: the metrics never show a charge the ledger lacks
    call.span().recorded(entry);
    call.recorded().accept(entry);
  }

  /**
   * Whose prices apply: the route's rules, unless the deployment that answered names a model of another
   * family (a fallback to another vendor: a gpt-image-2 route answered by Gemini is priced as Gemini), or a
   * model the catalogue does not know that {@code prices:} names (a self-hosted checkpoint priced per image).
   */
  private String pricedModel(ImageJob job, String upstreamModel) {
    ModelSpec rules = job.options().model();
    if (upstreamModel == null) return rules.id();
    if (ModelCatalog.find(upstreamModel).isEmpty()) {
      return pricing.rates(upstreamModel).isPresent() ? upstreamModel : rules.id();
    }
    return ModelCatalog.find(upstreamModel).filter(m -> m.family() != rules.family()).map(ModelSpec::id)
        .orElse(rules.id());
  }

  /** Records a refused or failed request: it costs nothing. Never hides the original error. */
  void failure(Call call, ImageRequest r, int status, String code) {
    if (call.key() == null) return;
    try {
      LedgerEntry entry = entry(call, r, null, null, r == null ? null : r.size(), r == null ? null : r.quality(), 0,
          new Usage(0, 0, 0), 0, status, code);
      metrics.call(entry);
      call.span().recorded(entry);
      call.recorded().accept(entry);
      ledger.record(entry);
    } catch (RuntimeException e) {
      LOG.warn("could not record a failed request in the ledger: {}", e.getMessage());
    }
  }

  void failure(Call call, ImageRequest r, ApiException e) { failure(call, r, e.status(), e.code()); }

  private LedgerEntry entry(Call call, ImageRequest r, String deployment, String provider, String size,
      String quality, int images, Usage usage, double cost, int status, String code) {
    return new LedgerEntry(Instant.now(), status == 200 ? call.requestId() : call.failureId(), call.key().id(), r == null ? "-" : r.modelOrDefault(),
        deployment, provider, call.operation() == Operation.EDIT ? "edits" : "generations", size, quality,
        r == null || r.n() == null ? 1 : Math.max(0, r.n()), images, usage.textIn(), usage.imageIn(), usage.imageOut(), cost,
        status, code, (System.nanoTime() - call.startNanos()) / 1_000_000, r == null ? null : r.user(),
        keepPrompts && r != null ? r.prompt() : null);
  }
}
