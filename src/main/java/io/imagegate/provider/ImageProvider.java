package io.imagegate.provider;

/** Something that draws pictures: the local engine or an upstream service. */
public interface ImageProvider {

  /** The name every answer carries in {@code x-imagegate-provider} and the start banner shows. */
  String name();

  /** Starts drawing a job. Thrown {@link io.imagegate.api.ApiException}s reach the client as they are. */
  ImageBatch start(ImageJob job);
}
