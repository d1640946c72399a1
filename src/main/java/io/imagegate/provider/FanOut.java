package io.imagegate.provider;

import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * A request's {@code n} as {@code n} single-image calls on virtual threads, for upstreams without an
 * {@code n} of their own, at most {@code parallel} in
 * flight. What succeeded is kept, in order; when none did, the failure that best tells the engine what to
 * do next is thrown: one worth a retry or a fallback before a refusal, since another try might draw.
 *
 * <p>Implementation notes: each call runs in the caller's trace context, so that its request carries the
 * attempt's {@code traceparent}. When the caller is interrupted (its client left), every call still running
 * is interrupted too, which closes its socket.
 */
public final class FanOut {
  private FanOut() {}

  /** The results of {@code n} calls of {@code call}, those that succeeded, in order; at least one. */
  public static <T> List<T> run(int n, int parallel, Callable<T> call) {
    if (n == 1) return List.of(unchecked(call));
    Semaphore slots = new Semaphore(Math.max(1, parallel));
    Callable<T> bounded = Context.current().wrap(() -> {
      slots.acquire();
      try {
        return call.call();
      } finally {
        slots.release();
      }
    });
    List<T> drawn = new ArrayList<>(n);
    List<UpstreamException> failures = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<T>> calls = new ArrayList<>(n);
      for (int i = 0; i < n; i++) calls.add(threads.submit(bounded));
      for (Future<T> f : calls) {
        try {
          drawn.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof UpstreamException u) failures.add(u);
          else if (e.getCause() instanceof RuntimeException r) throw r;
          else throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          calls.forEach(c -> c.cancel(true));
          Thread.currentThread().interrupt();
          throw UpstreamException.cancelled();
        }
      }
    }
    if (!drawn.isEmpty()) return drawn;
    for (UpstreamException f : failures) if (f.kind() != UpstreamException.Kind.REFUSED) throw f;
    throw failures.get(0);
  }

  private static <T> T unchecked(Callable<T> call) {
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
