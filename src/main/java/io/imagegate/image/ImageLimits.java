package io.imagegate.image;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Bounds on one input image and on fetching it.
 *
 * @param maxBytes encoded size of one image, whether uploaded, inlined or fetched
 * @param maxPixels width times height from the header, checked before any decode (bomb guard)
 * @param fetchTimeout total time for fetching one URL: resolution, connect, TLS, every redirect, body
 * @param maxRedirects redirects followed per URL, each hop checked again
 * @param allowedPrivateHosts host names ({@code localhost}), addresses ({@code 127.0.0.1}) or CIDR
 *     blocks ({@code 10.0.0.0/8}) that may be fetched although private or loopback; empty by default
 */
public record ImageLimits(long maxBytes, long maxPixels, Duration fetchTimeout, int maxRedirects,
    List<String> allowedPrivateHosts) {

  public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
  /** Two 3840x2160 frames. */
  public static final long DEFAULT_MAX_PIXELS = 8_294_400L * 2;
  public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_REDIRECTS = 3;

  public ImageLimits {
    if (maxBytes <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("maxBytes and maxPixels must be positive");
    }
    Objects.requireNonNull(fetchTimeout, "fetchTimeout");
    if (fetchTimeout.isNegative() || fetchTimeout.isZero()) {
      throw new IllegalArgumentException("fetchTimeout must be positive");
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must not be negative");
    }
    allowedPrivateHosts = allowedPrivateHosts == null ? List.of() : List.copyOf(allowedPrivateHosts);
  }

  public static ImageLimits defaults() {
    return new ImageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_FETCH_TIMEOUT,
        DEFAULT_MAX_REDIRECTS, List.of());
  }
}
