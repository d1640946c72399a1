package io.imagegate.api;

import java.util.Locale;

/** The encodings an answer can carry. */
public enum OutputFormat {
  PNG("image/png"), JPEG("image/jpeg"), WEBP("image/webp");

  private final String mimeType;

  OutputFormat(String mimeType) { this.mimeType = mimeType; }

  public String mimeType() { return mimeType; }

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  /** Whether the encoding can carry an alpha channel. */
  public boolean supportsAlpha() { return this != JPEG; }
}
