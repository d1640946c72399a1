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

  /**
   * What this provider would refuse of {@code job} before any call, beyond its deployment's
   * {@code supports:} (a mask its upstream has no use for, a size its model cannot draw): a 400 naming the
   * field, or null when it can take the job. The engine asks before choosing among a route's deployments,
   * so that a refusing deployment is passed over, and the refusal is answered only when none can take it.
   */
  default io.imagegate.api.ApiException refusal(ImageJob job) { return null; }
}
