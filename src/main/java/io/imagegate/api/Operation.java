package io.imagegate.api;

/** Which endpoint a request came in on; decides event names and whether an input image is required. */
public enum Operation {
  GENERATION("image_generation"), EDIT("image_edit");

  private final String eventPrefix;

  Operation(String eventPrefix) { this.eventPrefix = eventPrefix; }

  /** The prefix of this operation's stream events (spec §6). */
  public String eventPrefix() { return eventPrefix; }
}
