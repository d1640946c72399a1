package io.imagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.ApiException;
import io.imagegate.api.ImageOptions;
import io.imagegate.api.ImageRequest;
import io.imagegate.api.ImageRequestReader;
import io.imagegate.api.ModelCatalog;
import io.imagegate.api.Operation;
import io.imagegate.api.RequestValidator;
import io.imagegate.config.Capabilities;
import io.imagegate.config.DeploymentConfig;
import io.imagegate.config.RetryConfig;
import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageJob;
import io.imagegate.provider.ImageProvider;
import io.imagegate.provider.UpstreamException;
import io.imagegate.usage.Usage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The chain on its own, with scripted providers: order by priority and weight (distribution over many
 * draws), backoff bounds, retries, fallback, refusals, and the total deadline.
 */
class DeploymentChainTest {
  private static final int DRAWS = 20_000;
  private static final double TOLERANCE = 0.02;

  // --- order ---

  @Test
  void order_lowerPriorityTierAlwaysFirst_whateverTheWeights() {
    Deployment heavyFallback = deployment("heavy", 1, 1000);
    Deployment a = deployment("a", 0, 1);
    Deployment b = deployment("b", 0, 1);
    Deployment last = deployment("last", 2, 1000);
    for (int i = 0; i < 2000; i++) {
      List<String> order = names(DeploymentChain.order(List.of(heavyFallback, last, a, b)));
      assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("a", "b");
      assertThat(order.subList(2, 4)).containsExactly("heavy", "last");
    }
  }

  @Test
  void order_withinATier_firstPickFollowsTheWeights() {
    Deployment one = deployment("one", 0, 1);
    Deployment two = deployment("two", 0, 2);
    Deployment seven = deployment("seven", 0, 7);
    Map<String, Integer> first = new HashMap<>();
    Map<String, Integer> second = new HashMap<>();
    for (int i = 0; i < DRAWS; i++) {
      List<String> order = names(DeploymentChain.order(List.of(one, two, seven)));
      assertThat(order).containsExactlyInAnyOrder("one", "two", "seven");
      first.merge(order.get(0), 1, Integer::sum);
      second.merge(order.get(1), 1, Integer::sum);
    }
    assertThat(share(first, "one")).isCloseTo(0.1, within(TOLERANCE));
    assertThat(share(first, "two")).isCloseTo(0.2, within(TOLERANCE));
    assertThat(share(first, "seven")).isCloseTo(0.7, within(TOLERANCE));
    // sampling without replacement: P(one second) = 0.2·1/8 + 0.7·1/3
    assertThat(share(second, "one")).isCloseTo(0.2 * 1 / 8 + 0.7 / 3, within(TOLERANCE));
    assertThat(share(second, "seven")).isCloseTo(0.1 * 7 / 9 + 0.2 * 7 / 8, within(TOLERANCE));
  }

  @Test
  void order_equalWeights_splitEvenly() {
    Deployment a = deployment("a", 0, 5);
    Deployment b = deployment("b", 0, 5);
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < DRAWS; i++) first.merge(DeploymentChain.order(List.of(a, b)).get(0).name(), 1, Integer::sum);
    assertThat(share(first, "a")).isCloseTo(0.5, within(TOLERANCE));
  }

  // --- backoff ---

  @Test
  void backoff_isExponentialWithJitterWithinHalfToFull() {
    DeploymentChain chain = chain(new RetryConfig(3, Duration.ofMillis(100), Duration.ofMillis(1000),
        Duration.ofSeconds(600)));
    long[][] bounds = {{1, 50, 100}, {2, 100, 200}, {3, 200, 400}, {4, 400, 800}, {5, 500, 1000}, {40, 500, 1000}};
    for (long[] b : bounds) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < 2000; i++) {
        long ms = chain.backoff((int) b[0], null).toMillis();
        assertThat(ms).as("attempt " + b[0]).isBetween(b[1], b[2]);
        min = Math.min(min, ms);
        max = Math.max(max, ms);
      }
      assertThat(max - min).as("jitter at attempt " + b[0]).isGreaterThan((b[2] - b[1]) / 2);
    }
  }

  @Test
  void backoff_honoursTheUpstreamHintCappedAtMaxDelay() {
    DeploymentChain chain = chain(new RetryConfig(3, Duration.ofMillis(100), Duration.ofMillis(1000),
        Duration.ofSeconds(600)));
    assertThat(chain.backoff(1, Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(200));
    assertThat(chain.backoff(3, Duration.ofMillis(5))).isEqualTo(Duration.ofMillis(5));
    assertThat(chain.backoff(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void backoff_zeroBase_isZero() {
    DeploymentChain chain = chain(new RetryConfig(3, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(600)));
    assertThat(chain.backoff(1, null)).isEqualTo(Duration.ZERO);
    assertThat(chain.backoff(7, null)).isEqualTo(Duration.ZERO);
  }

  // --- start: retries, fallback, refusals, deadline ---

  @Test
  void start_retryableFailures_retryUpToMaxAttemptsThenFallBack() {
    Scripted a = new Scripted("a", () -> { throw UpstreamException.retryable("boom"); });
    Scripted b = new Scripted("b", Scripted::image);
    DeploymentChain chain = chain(fastRetry(3), deployment(a, 0), deployment(b, 1));

    ImageBatch batch = chain.start(job(), inThirtySeconds());

    assertThat(batch).isInstanceOf(RoutedBatch.class);
    assertThat(((RoutedBatch) batch).attempts()).isEqualTo("a:retryable,a:retryable,a:retryable,b:200");
    assertThat(((RoutedBatch) batch).deploymentName()).isEqualTo("b");
    assertThat(a.calls.get()).isEqualTo(3);
    assertThat(b.calls.get()).isEqualTo(1);
  }

  @Test
  void start_refusedByUpstream_isPassedOnWithoutRetryOrFallback() {
    Scripted a = new Scripted("a", () -> {
      throw new UpstreamException(UpstreamException.Kind.REFUSED, 400, "image_generation_user_error",
          "moderation_blocked", null, "blocked", null, null);
    });
    Scripted b = new Scripted("b", Scripted::image);
    DeploymentChain chain = chain(fastRetry(3), deployment(a, 0), deployment(b, 1));

    assertThatThrownBy(() -> chain.start(job(), inThirtySeconds())).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.type()).isEqualTo("image_generation_user_error");
      assertThat(e.code()).isEqualTo("moderation_blocked");
      assertThat(e.headers()).containsEntry("x-imagegate-attempts", "a:400");
    });
    assertThat(a.calls.get()).isEqualTo(1);
    assertThat(b.calls.get()).isZero();
  }

  @Test
  void start_allFail_is502NamingTheAttempts() {
    Scripted a = new Scripted("a", () -> {
      throw new UpstreamException(UpstreamException.Kind.RETRYABLE, 503, null, null, null, "Overloaded.", null, null);
    });
    DeploymentChain chain = chain(fastRetry(2), deployment(a, 0));

    assertThatThrownBy(() -> chain.start(job(), inThirtySeconds())).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(502);
      assertThat(e.code()).isEqualTo("upstream_error");
      assertThat(e.headers()).containsEntry("x-imagegate-attempts", "a:503,a:503");
      assertThat(e.getMessage()).contains("Overloaded").doesNotContain("..");
    });
  }

  @Test
  void start_providerTimingOutAtTheRequestsDeadline_is504AndNotRetriedPastIt() {
    long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
    AtomicLong given = new AtomicLong();
    Scripted hanging = new Scripted("h", () -> {
      // an upstream provider waits on its socket until the deadline it was given, then times out
      long left = deadline - System.nanoTime();
      if (left > 0) LockSupport.parkNanos(left);
      throw UpstreamException.timeout("the request's total deadline ran out");
    });
    hanging.deadlines = given;
    DeploymentChain chain = chain(new RetryConfig(3, Duration.ofMillis(1), Duration.ofMillis(1),
        Duration.ofMillis(300)), deployment(hanging, 0));

    assertThatThrownBy(() -> chain.start(job(), deadline)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(504);
      assertThat(e.code()).isEqualTo("upstream_timeout");
      assertThat(e.headers()).containsEntry("x-imagegate-attempts", "h:timeout");
    });
    assertThat(given.get()).as("the provider got the request's deadline").isEqualTo(deadline);
    assertThat(hanging.calls.get()).as("no attempt starts after the deadline").isEqualTo(1);
  }

  @Test
  void start_deadlineSpentBeforeAHalfOpenDeployment_doesNotKeepItsProbeSlot() {
    AtomicLong clock = new AtomicLong();
    CircuitBreaker breakerOfA = new CircuitBreaker(1, Duration.ofSeconds(10), clock::get);
    breakerOfA.failure(); // open
    clock.addAndGet(Duration.ofSeconds(11).toNanos()); // cool-down over: the next tryAcquire is the probe
    Scripted slow = new Scripted("slow", () -> {
      try {
        Thread.sleep(400);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw UpstreamException.retryable("too slow");
    });
    Scripted a = new Scripted("a", Scripted::image);
    DeploymentChain chain = chain(new RetryConfig(1, Duration.ZERO, Duration.ZERO, Duration.ofMillis(200)),
        deployment(slow, 0), new Deployment(config("a", 1, 1), a, breakerOfA));

    long deadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
    assertThatThrownBy(() -> chain.start(job(), deadline)).isInstanceOf(ApiException.class);

    assertThat(a.calls.get()).isZero();
    assertThat(breakerOfA.tryAcquire()).as("a can still be probed by the next request").isTrue();
  }

  // --- helpers ---

  /** A provider that runs the next scripted step (or the last one again) on each call. */
  static final class Scripted implements ImageProvider {
    final String name;
    final Queue<Supplier<ImageBatch>> steps = new ArrayDeque<>();
    final Supplier<ImageBatch> fallback;
    final AtomicLong calls = new AtomicLong();
    AtomicLong deadlines = new AtomicLong();

    Scripted(String name, Supplier<ImageBatch> always) {
      this.name = name;
      this.fallback = always;
    }

    @Override
    public String name() { return "openai"; }

    @Override
    public ImageBatch start(ImageJob job, long deadline) {
      calls.incrementAndGet();
      deadlines.set(deadline);
      Supplier<ImageBatch> step = steps.poll();
      return (step != null ? step : fallback).get();
    }

    static ImageBatch image() {
      return new ImageBatch() {
        @Override
        public int count() { return 1; }

        @Override
        public byte[] image(int index) { return new byte[] {1, 2, 3}; }

        @Override
        public AnswerFacts facts() { return new AnswerFacts("1024x1024", "low", "opaque", "png"); }

        @Override
        public Optional<Usage> reportedUsage() { return Optional.empty(); }
      };
    }
  }

  private static long inThirtySeconds() { return System.nanoTime() + Duration.ofSeconds(30).toNanos(); }

  private static RetryConfig fastRetry(int attempts) {
    return new RetryConfig(attempts, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(30));
  }

  private static DeploymentChain chain(RetryConfig retry, Deployment... deployments) {
    return new DeploymentChain("gpt-image-2", List.of(deployments), retry,
        new io.imagegate.metrics.GatewayMetrics(id -> true, false));
  }

  private static DeploymentChain chain(RetryConfig retry) { return chain(retry, deployment("x", 0, 1)); }

  private static Deployment deployment(Scripted provider, int priority) {
    return new Deployment(config(provider.name, priority, 1), provider,
        new CircuitBreaker(1000, Duration.ofSeconds(30)));
  }

  private static Deployment deployment(String name, int priority, int weight) {
    return new Deployment(config(name, priority, weight), new Scripted(name, Scripted::image),
        new CircuitBreaker(5, Duration.ofSeconds(30)));
  }

  private static DeploymentConfig config(String name, int priority, int weight) {
    return new DeploymentConfig(name, "openai", URI.create("http://127.0.0.1:9"), "sk-test", null, java.util.Map.of(),
        Capabilities.all(), Duration.ofSeconds(10), Duration.ofSeconds(300),
        weight, priority, 4);
  }

  private static ImageJob job() {
    try {
      ImageRequest request = ImageRequestReader.fromJson(new ObjectMapper().readTree(
          "{\"prompt\":\"a cat\",\"size\":\"1024x1024\",\"quality\":\"low\"}"), Operation.GENERATION);
      ImageOptions options = new RequestValidator().validate(request, ModelCatalog.find("gpt-image-2").orElseThrow());
      return new ImageJob(options, List.of(), null);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> names(List<Deployment> ds) {
    List<String> out = new ArrayList<>();
    ds.forEach(d -> out.add(d.name()));
    return out;
  }

  private static double share(Map<String, Integer> counts, String name) {
    return counts.getOrDefault(name, 0) / (double) DRAWS;
  }
}
