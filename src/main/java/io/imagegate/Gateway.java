package io.imagegate;

import io.imagegate.api.RequestValidator;
import io.imagegate.auth.Authenticator;
import io.imagegate.auth.ConsoleSessions;
import io.imagegate.auth.JdbcKeyStore;
import io.imagegate.metrics.GatewayMetrics;
import io.imagegate.metrics.MetricsPort;
import io.imagegate.config.GatewayConfig;
import io.imagegate.config.Settings;
import io.imagegate.engine.Admission;
import io.imagegate.engine.ImagePipeline;
import io.imagegate.engine.ImageService;
import io.imagegate.http.BufferPool;
import io.imagegate.provider.ProviderRegistry;
import io.imagegate.engine.ModelRouter;
import io.imagegate.image.ImageLimits;
import io.imagegate.image.ImageSourceResolver;
import io.imagegate.store.Database;
import io.imagegate.trace.GatewayTracer;
import io.imagegate.web.GatewayServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.imagegate.idempotency.IdempotencyStore;
import io.imagegate.imagestore.ImageStore;
import io.imagegate.jobs.ImageJobs;
import io.imagegate.batch.BatchFiles;
import io.imagegate.batch.ImageBatches;
import io.imagegate.config.PriceConfig;
import io.imagegate.ratelimit.InMemoryRateLimiter;
import io.imagegate.ratelimit.RateLimiter;
import io.imagegate.ratelimit.RedisRateLimiter;
import io.imagegate.store.Redis;
import io.imagegate.usage.BudgetGuard;
import io.imagegate.usage.LocalBudgetGuard;
import io.imagegate.usage.RedisBudgetGuard;
import io.imagegate.usage.JdbcUsageLedger;
import io.imagegate.usage.Pricing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole gateway, wired by hand from its configuration: store, keys, routes, pipeline and HTTP server. */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private final GatewayConfig config;
  private final Settings settings;
  private final Database database;
  private final JdbcKeyStore keys;
  private final ImageSourceResolver images;
  private final ModelRouter router;
  private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "imagegate-housekeeping");
    t.setDaemon(true);
    return t;
  });
  private final JdbcUsageLedger ledger;
  private final Admission admission;
  private final Redis redis;
  private GatewayServer server;
  private final GatewayMetrics metrics;
  private MetricsPort metricsPort;
  private final GatewayTracer tracer;
  private ImageJobs jobs;
  private ImageBatches batches;

  public Gateway(GatewayConfig config) {
    this.config = config;
    this.settings = config.settings();
    this.tracer = GatewayTracer.start(settings.traces()); // first: invalid OTEL_* settings fail before anything opens
    this.database = Database.open(settings.jdbcUrl());
    this.keys = new JdbcKeyStore(database.dataSource());
    this.ledger = new JdbcUsageLedger(database.dataSource());
    this.redis = settings.redisUrl() == null ? null : Redis.connect(settings.redisUrl(), settings.redisPrefix());
    ImageLimits d = ImageLimits.defaults();
    this.images = new ImageSourceResolver(new ImageLimits(d.maxBytes(), d.maxPixels(), d.fetchTimeout(),
        d.maxRedirects(), settings.fetchAllowHosts()));
    ProviderRegistry providers = ProviderRegistry.standard(new ProviderRegistry.Shared(images,
        BufferPool.forHeap(Runtime.getRuntime().maxMemory())));
    this.admission = Admission.forProcess(settings.maxInFlight());
    java.util.Set<String> routed = config.routes().values().stream().map(r -> r.id())
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
    this.metrics = new GatewayMetrics(routed::contains);
    ledger.observeWrites(metrics.ledger(ledger::queued));
    this.router = ModelRouter.of(config, providers::create, metrics);
  }

  /**
   * Shuts down gracefully: refuses new calls with 503 and {@code Connection: close} ({@code /ready} answers
   * 503, so a load balancer takes this instance out), and waits up to the grace period for the calls in
   * flight to finish. The socket stays open meanwhile, so that probes and clients get a clear answer.
   *
   * @return whether every call finished in time
   */
  public boolean drain(Duration grace) { return admission.drain(grace); }

  /** Images calls in flight now. */
  public int inFlight() { return admission.inFlight(); }

  public GatewayConfig config() { return config; }

  public JdbcKeyStore keys() { return keys; }

  public ModelRouter router() { return router; }

  /**
   * Creates the admin key when there is no master key and the store holds no key yet.
   *
   * @return the new key's secret (to be shown once), or null when none was made
   */
  public String ensureAdminKey() {
    if (settings.masterKey() != null || !keys.isEmpty()) return null;
    return keys.create("admin", List.of(), true).secret();
  }

  public Gateway start() {
    ImagePipeline pipeline = new ImagePipeline(new RequestValidator(), images);
    ImageService service;
    Path data = settings.dataDir();
    IdempotencyStore idempotency = new IdempotencyStore(database.dataSource(), data.resolve("idempotency"),
        Duration.ofHours(24), Duration.ofMinutes(10), Duration.ofMillis(200));
    ImageStore imageStore = ImageStore.create(settings.imageStore(), data, settings.imageUrlTtl(), Clock.systemUTC());
    ConsoleSessions sessions = new ConsoleSessions(database.dataSource(), Clock.systemUTC());
    service = new ImageService(new ImageService.Parts(router, pipeline, limiter(), idempotency, imageStore,
        settings.publicUrl(), ledger, pricing(), settings.keepPrompts(), budgets(), admission,
        config.retry().totalDeadline(), metrics));
    jobs = ImageJobs.start(database.dataSource(), database.isPostgres(), service, imageStore, keys, settings.jobs(),
        Clock.systemUTC());
    ImageJobs kept = jobs;
    BatchFiles batchFiles = BatchFiles.create(database.dataSource(), imageStore, settings.jobs().maxBatchFileBytes(),
        Clock.systemUTC());
    batches = ImageBatches.start(database.dataSource(), batchFiles, jobs, settings.jobs().batchDiscount(),
        Clock.systemUTC());
    housekeeping.scheduleWithFixedDelay(() -> purge(idempotency, imageStore, sessions, kept), 1, 10, TimeUnit.MINUTES);
    server = new GatewayServer(new GatewayServer.Parts(new Authenticator(keys, settings.masterKey(), Clock.systemUTC(), sessions), router,
        service, database, settings.maxBodyBytes(), Duration.ofSeconds(settings.bodyTimeoutSeconds()), imageStore,
        ledger, redis, settings.corsOrigins(), metrics, settings.metricsToken(), settings.trustedProxies(), tracer, jobs,
        batchFiles, batches))
        .start(settings.host(), settings.port());
    if (settings.metricsPort() >= 0) metricsPort = MetricsPort.start(metrics, settings.host(), settings.metricsPort());
    return this;
  }

  public int port() { return server.port(); }

  /** Whether spans are exported over OTLP (an endpoint is set); false: tracing is the no-op. */
  public boolean exportsTraces() { return tracer.exporting(); }

  /** The port of {@code IMAGEGATE_METRICS_PORT}'s listener, or -1 when there is none. */
  public int metricsPort() { return metricsPort == null ? -1 : metricsPort.port(); }

  private RateLimiter limiter() { return redis == null ? new InMemoryRateLimiter() : new RedisRateLimiter(redis); }

  private BudgetGuard budgets() {
    if (redis == null) return new LocalBudgetGuard(ledger, Clock.systemUTC());
    // A reservation must outlive its request: the upstream deadline, then time to send a big answer.
    return new RedisBudgetGuard(redis, ledger, Clock.systemUTC(), config.retry().totalDeadline().plusMinutes(15));
  }

  /** Spec §7 prices, with the config file's {@code prices:} in their place. */
  private Pricing pricing() {
    Pricing p = Pricing.defaults();
    for (PriceConfig c : config.prices().values()) {
      p = p.withOverride(c.model(), new Pricing.Rates(c.textIn(), c.imageIn(), c.imageOut(), c.perImage()));
    }
    return p;
  }

  /**
   * Deletes expired idempotent answers, image files, dashboard sessions and jobs past their retention; safe to run
   * on every instance at once.
   */
  private static void purge(IdempotencyStore idempotency, ImageStore images, ConsoleSessions sessions,
      ImageJobs jobs) {
    try {
      idempotency.purgeExpired();
      images.purgeExpired();
      sessions.purgeExpired();
      jobs.purgeExpired();
    } catch (RuntimeException e) {
      LOG.warn("housekeeping failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    housekeeping.shutdownNow();
    if (server != null) server.close();
    if (batches != null) batches.close(); // before the jobs: no line is submitted to workers that stopped
    if (jobs != null) jobs.close(); // after the server: no submit comes in; before the ledger: charges still land
    if (metricsPort != null) metricsPort.close();
    ledger.close(); // writes what is queued before the pool goes
    database.close();
    if (redis != null) redis.close();
    tracer.close(); // last, after the server's last spans ended: sends what is queued
  }
}
