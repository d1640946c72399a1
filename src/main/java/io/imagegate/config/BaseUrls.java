package io.imagegate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks and normalizes upstream base URLs so that adapters can append their paths without doubling any. */
final class BaseUrls {
  private BaseUrls() {}

  /**
   * The URL without trailing {@code /}, and without the provider's own API path {@code suffix} at its end
   * (OpenAI style {@code /v1}: adapters append {@code /v1/images/...}; Azure {@code /openai}: adapters append
   * {@code /openai/deployments/...}).
   *
   * @return the normalized URI, or null when {@code text} is not an absolute http(s) URL with a host and
   *     without query or fragment
   */
  static URI parse(String text, String suffix) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) return null;
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) return null;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    path = stripSlashes(path);
    if (!suffix.isEmpty() && path.endsWith(suffix)) path = stripSlashes(path.substring(0, path.length() - suffix.length()));
    String auth = uri.getRawAuthority();
    return URI.create(scheme + "://" + auth + path);
  }

  private static String stripSlashes(String path) {
    String p = path;
    while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
    return p;
  }
}
