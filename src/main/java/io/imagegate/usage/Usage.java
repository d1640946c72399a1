package io.imagegate.usage;

/**
 * Token counts of one answer (spec §5 {@code usage}): text and image tokens in, image tokens out.
 * Text output tokens are always 0 for image models.
 */
public record Usage(long textIn, long imageIn, long imageOut) {

  public long inputTokens() { return textIn + imageIn; }

  public long outputTokens() { return imageOut; }

  public long totalTokens() { return inputTokens() + outputTokens(); }
}
