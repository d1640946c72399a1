package io.imagegate.store;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Turns {@code IMAGEGATE_DATABASE_URL} into a JDBC URL. Accepted: a JDBC URL for SQLite or PostgreSQL as is,
 * and the {@code postgres://user:password@host:port/db?params} form that most PostgreSQL hosts hand out (user
 * and password, percent-decoded, become JDBC parameters; other parameters such as {@code sslmode} pass through).
 */
public final class DatabaseUrl {
  private DatabaseUrl() { }

  /** @throws IllegalArgumentException for anything else, naming the accepted forms (never echoing a password) */
  public static String toJdbc(String url) {
    if (url == null || url.isBlank()) throw new IllegalArgumentException("IMAGEGATE_DATABASE_URL is empty");
    String u = url.trim();
    if (u.startsWith("jdbc:sqlite:") || u.startsWith("jdbc:postgresql:")) return u;
    if (u.startsWith("postgres://") || u.startsWith("postgresql://")) return fromUri(u);
    throw new IllegalArgumentException("IMAGEGATE_DATABASE_URL must be postgres://user:password@host:port/database,"
        + " jdbc:postgresql://… or jdbc:sqlite:/path/to/file, not a URL starting with '"
        + u.substring(0, Math.min(u.length(), Math.max(0, u.indexOf(':')) + 3)) + "'");
  }

  /**
   * What a JDBC URL from {@link #toJdbc} points at, fit to print: {@code SQLite /path/file.db} or
   * {@code PostgreSQL host:port/db}, never a user, password or parameter.
   */
  public static String describe(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) return "SQLite " + jdbcUrl.substring("jdbc:sqlite:".length());
    return "PostgreSQL " + hostAndPath(jdbcUrl);
  }

  /** {@code host:port/path} of a URL, without its scheme, user, password or query. */
  public static String hostAndPath(String url) {
    String rest = url.replaceFirst("^[a-z:]*//", "");
    int slash = rest.indexOf('/');
    int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
    if (at >= 0) rest = rest.substring(at + 1);
    int q = rest.indexOf('?');
    return q < 0 ? rest : rest.substring(0, q);
  }

  /** Whether a JDBC URL from {@link #toJdbc} is PostgreSQL's. */
  public static boolean isPostgres(String jdbcUrl) { return jdbcUrl.startsWith("jdbc:postgresql:"); }

  private static String fromUri(String u) {
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("IMAGEGATE_DATABASE_URL is not a valid postgres:// URL");
    }
    if (uri.getHost() == null) throw new IllegalArgumentException("IMAGEGATE_DATABASE_URL names no host");
    String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "postgres" : uri.getRawPath().substring(1);
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    if (uri.getPort() > 0) jdbc.append(':').append(uri.getPort());
    jdbc.append('/').append(db);
    StringBuilder params = new StringBuilder();
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      String user = decode(colon < 0 ? info : info.substring(0, colon));
      params.append("user=").append(encode(user));
      if (colon >= 0) params.append("&password=").append(encode(decode(info.substring(colon + 1))));
    }
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      if (!params.isEmpty()) params.append('&');
      params.append(uri.getRawQuery());
    }
    if (!params.isEmpty()) jdbc.append('?').append(params);
    return jdbc.toString();
  }

  private static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }

  private static String encode(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
