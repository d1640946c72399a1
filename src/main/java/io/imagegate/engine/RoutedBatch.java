package io.imagegate.engine;

import io.imagegate.provider.AnswerFacts;
import io.imagegate.provider.EventStream;
import io.imagegate.provider.ImageBatch;
import io.imagegate.provider.SseFrame;
import io.imagegate.usage.Usage;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * A batch as the chain hands it on: the deployment that drew it and the attempts it took. The deployment's
 * in-flight permit is released at once for a finished answer, and when the stream ends for a relayed one.
 */
final class RoutedBatch implements ImageBatch {
  private final ImageBatch batch;
  private final Deployment deployment;
  private final String attempts;
  private final Optional<EventStream> events;

  RoutedBatch(ImageBatch batch, Deployment deployment, String attempts, Semaphore permit) {
    this.batch = batch;
    this.deployment = deployment;
    this.attempts = attempts;
    Optional<EventStream> upstream = batch.events();
    if (upstream.isEmpty()) {
      permit.release();
      this.events = Optional.empty();
    } else {
      this.events = Optional.of(new EventStream() {
        private boolean released;

        @Override
        public SseFrame next() throws IOException { return upstream.get().next(); }

        @Override
        public void close() {
          upstream.get().close();
          if (!released) {
            released = true;
            permit.release();
          }
        }
      });
    }
  }

  String deploymentName() { return deployment.name(); }

  String providerName() { return deployment.provider.name(); }

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
}
