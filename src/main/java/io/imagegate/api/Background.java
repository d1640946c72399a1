package io.imagegate.api;

import java.util.Locale;

/** A resolved background; {@code auto} is resolved to one of these before anything draws. */
public enum Background {
  TRANSPARENT, OPAQUE;

  public String wire() { return name().toLowerCase(Locale.ROOT); }
}
