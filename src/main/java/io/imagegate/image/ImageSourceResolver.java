package io.imagegate.image;

import io.imagegate.api.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns an image reference from a request into checked bytes: format by content, and dimensions
 * from the header against {@link ImageLimits}, all before anything decodes the pixels.
 */
public final class ImageSourceResolver {
  private static final int MAX_URL_LENGTH = 8192;
  private static final int MAX_DATA_HEADER = 256;

  private final ImageLimits limits;
  private final GuardedUrlFetcher fetcher;

  public ImageSourceResolver(ImageLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.fetcher = new GuardedUrlFetcher(limits);
  }

  /**
   * Resolves one reference: an http(s) URL (fetched through {@link GuardedUrlFetcher}), a
   * {@code data:image/...;base64,...} URL (the declared type is ignored: content decides), or bare
   * base64 (standard or URL-safe, whitespace tolerated).
   *
   * @param param the request field named in errors, e.g. {@code image}, {@code images[1]}, {@code mask}
   * @throws ApiException {@code invalid_image} for anything unusable
   */
  public InputImage resolve(String reference, String param) {
    if (reference == null) {
      throw empty(param);
    }
    int from = 0;
    int to = reference.length();
    while (from < to && Character.isWhitespace(reference.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(reference.charAt(to - 1))) {
      to--;
    }
    if (from == to) {
      throw empty(param);
    }
    if (reference.regionMatches(true, from, "data:", 0, 5)) {
      return fromBytes(decodeDataUrl(reference, from, to, param), param);
    }
    if (hasScheme(reference, from, to)) {
      // any scheme at all goes to the fetcher, which refuses everything but http and https by name
      return fromBytes(fetcher.fetch(parseUrl(reference.substring(from, to), param), param), param);
    }
    return fromBytes(Base64Text.decode(reference, from, to, limits.maxBytes(), param), param);
  }

  /**
   * Checks bytes already in memory (a multipart file part) exactly as {@link #resolve} checks
   * decoded or fetched ones.
   */
  public InputImage fromBytes(byte[] bytes, String param) {
    if (bytes == null || bytes.length == 0) {
      throw empty(param);
    }
    if (bytes.length > limits.maxBytes()) {
      throw tooLarge(param, bytes.length, limits.maxBytes());
    }
    ImageInfo info = ImageProbe.inspect(bytes, param);
    if (info.pixels() > limits.maxPixels()) {
      throw ApiException.invalidImage(param, "The image is " + info.width() + "x" + info.height()
          + " (" + info.pixels() + " pixels), over the limit of " + limits.maxPixels()
          + " pixels; downscale it and try again.");
    }
    return new InputImage(bytes, info);
  }

  static ApiException tooLarge(String param, long size, long max) {
    return ApiException.invalidImage(param, "The image is " + size + " bytes, over the limit of " + max
        + " bytes; send a smaller file.");
  }

  private byte[] decodeDataUrl(String ref, int from, int to, String param) {
    int comma = ref.indexOf(',', from);
    if (comma < 0 || comma >= to || comma - from > MAX_DATA_HEADER) {
      throw badDataUrl(param);
    }
    // e.g. "image/png;base64" or "image/webp;name=x.webp;base64": only the type family and base64 matter
    String[] parts = ref.substring(from + 5, comma).trim().toLowerCase(Locale.ROOT).split(";");
    if (!parts[0].trim().startsWith("image/")) {
      throw ApiException.invalidImage(param, "The data URL must have an image type, e.g. "
          + "data:image/png;base64,...");
    }
    if (!parts[parts.length - 1].trim().equals("base64")) {
      throw badDataUrl(param);
    }
    return Base64Text.decode(ref, comma + 1, to, limits.maxBytes(), param);
  }

  /** A URI scheme before the first ':' (base64 never contains ':', so there is no ambiguity). */
  private static boolean hasScheme(String s, int from, int to) {
    int end = Math.min(to, from + 33);
    if (!isAsciiLetter(s.charAt(from))) {
      return false;
    }
    for (int i = from + 1; i < end; i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return true;
      }
      if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
        return false;
      }
    }
    return false;
  }

  private static boolean isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

  private static URI parseUrl(String url, String param) {
    if (url.length() > MAX_URL_LENGTH) {
      throw ApiException.invalidImage(param, "The image URL is longer than " + MAX_URL_LENGTH
          + " characters.");
    }
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw ApiException.invalidImage(param, "The image URL is malformed; send an absolute http(s) URL.");
    }
  }

  private static ApiException badDataUrl(String param) {
    return ApiException.invalidImage(param, "The data URL must be base64-encoded, e.g. "
        + "data:image/png;base64,...");
  }

  private static ApiException empty(String param) {
    return ApiException.invalidImage(param, "The image is empty; send png, jpeg or webp bytes, a "
        + "data:image/...;base64 URL or an http(s) URL.");
  }
}
