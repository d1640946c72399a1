package io.imagegate.api;

import java.util.Locale;

/** A resolved rendering quality; {@code auto} is resolved before anything draws. */
public enum Quality {
  LOW, MEDIUM, HIGH;

  public String wire() { return name().toLowerCase(Locale.ROOT); }
}
