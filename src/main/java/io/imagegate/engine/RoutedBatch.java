package io.imagegate.engine;

import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.EventStream;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.ImageRelay;
import io.imagegate.provider.SseFrame;
import io.imagegate.usage.Usage;
import java.io.IOException;
import java.util.Optional;

/**
 * A batch as the chain hands it on: the deployment that drew it and the attempts it took. The deployment's
 * place among its calls in flight is given back at once for a finished answer, and when the stream or the
 * relay is closed for one still arriving.
 */
final class RoutedBatch implements ImageBatch {
  private final ImageBatch batch;
  private final Deployment deployment;
  private final String attempts;
  private final Optional<EventStream> events;
  private final Optional<ImageRelay> relay;

  RoutedBatch(ImageBatch batch, Deployment deployment, String attempts) {
    this.batch = batch;
    this.deployment = deployment;
    this.attempts = attempts;
    Optional<EventStream> upstream = batch.events();
    Optional<ImageRelay> relayed = batch.relay();
    Runnable leave = new Runnable() {
      private boolean left;

      @Override
      public synchronized void run() {
        if (left) return;
        left = true;
        deployment.leave();
      }
    };
    if (upstream.isPresent()) {
      this.events = Optional.of(new EventStream() {
        @Override
        public SseFrame next() throws IOException { return upstream.get().next(); }

        @Override
        public void close() {
          upstream.get().close();
          leave.run();
        }
      });
      this.relay = Optional.empty();
    } else if (relayed.isPresent()) {
      ImageRelay r = relayed.get();
      this.relay = Optional.of(new ImageRelay() {
        @Override
        public boolean next() throws IOException { return r.next(); }

        @Override
        public void copy(java.io.OutputStream out) throws IOException { r.copy(out); }

        @Override
        public End finish() throws IOException { return r.finish(); }

        @Override
        public void close() {
          r.close();
          leave.run();
        }
      });
      this.events = Optional.empty();
    } else {
      leave.run();
      this.events = Optional.empty();
      this.relay = Optional.empty();
    }
  }

  String deploymentName() { return deployment.name(); }

  String providerName() { return deployment.provider.name(); }

  /** The model the deployment asks its upstream for ({@code model:}), or null when it sends the route's. */
  String upstreamModel() { return deployment.config.model(); }

  String attempts() { return attempts; }

  @Override
  public int count() { return batch.count(); }

  @Override
  public byte[] image(int index) { return batch.image(index); }

  @Override
  public void writeBase64(int index, java.io.OutputStream out) throws IOException { batch.writeBase64(index, out); }

  @Override
  public byte[] partial(int index, int step, int steps) { return batch.partial(index, step, steps); }

  @Override
  public AnswerFacts facts() { return batch.facts(); }

  @Override
  public Optional<Usage> reportedUsage() { return batch.reportedUsage(); }

  @Override
  public Optional<EventStream> events() { return events; }

  @Override
  public Optional<ImageRelay> relay() { return relay; }
}
