package io.imagegate.provider;

/** Something that draws pictures: the local engine or an upstream service. */
public interface ImageProvider {

  /** The name every answer carries in {@code x-imagegate-provider} and the start banner shows. */
  String name();

  /**
   * Starts drawing a job. Thrown {@link io.imagegate.api.ApiException}s reach the client as they are.
   *
   * @param deadlineNanos the {@link System#nanoTime()} by which the request must be answered: an upstream
   *     gives up its call then (a {@link UpstreamException.Kind#TIMEOUT})
   */
  ImageBatch start(ImageJob job, long deadlineNanos);
}
