package io.imagegate.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's settings, read from the environment ({@code IMAGEGATE_*}); each has a default that works on
 * a laptop with no key and no network.
 *
 * @param masterKey the admin key, or null to create one in the store on first start
 * @param maxBodyBytes largest request body accepted (413 past it)
 * @param fetchAllowHosts hosts or CIDR ranges that input-image URLs may reach although private or loopback
 * @param imageUrlTtl how long the signed URLs of {@code response_format: url} answers stay valid
 * @param publicUrl the gateway's address as clients reach it, for absolute image URLs; null: from each request
 * @param redisUrl {@code redis://} or {@code rediss://} URL of the Redis that holds rate-limit and budget counters
 *     shared by several instances; null: counters in this process
 * @param redisPrefix prefix of every Redis key the gateway writes (several gateways may share one Redis)
 * @param keepPrompts whether the usage ledger keeps each request's prompt text (off: never stored)
 * @param maxInFlight images calls held at once before new ones are answered 503; 0: from the open-file limit
 * @param drainSeconds on SIGTERM, how long calls in flight may take to finish before the process exits
 * @param bodyTimeoutSeconds how long a request body may pause between two reads before the call is a 408
 * @param metricsToken a bearer token that may read {@code /metrics} (besides admin keys), or null
 * @param metricsPort a port serving {@code /metrics} without a key, or -1 for none
 * @param trustedProxies peer addresses whose {@code X-Forwarded-For} names the client in the access log
 * @param corsOrigins the browser origins allowed to call the API ({@code scheme://host[:port]}, or {@code *}
 *     for any); empty: no CORS headers at all (the default)
 * @param imageStore where the images of {@code response_format: url} answers are kept
 * @param traces the {@code OTEL_*} variables: whether and where spans are exported (off by default)
 * @param jobs the async jobs' workers, caps, retention and lease
 */
public record Settings(String host, int port, Path dataDir, String masterKey, long maxBodyBytes,
    List<String> fetchAllowHosts, String databaseUrl, java.time.Duration imageUrlTtl, String publicUrl,
    String redisUrl, String redisPrefix, boolean keepPrompts, int maxInFlight, int drainSeconds,
    int bodyTimeoutSeconds, String metricsToken, int metricsPort, List<String> trustedProxies,
    List<String> corsOrigins, ImageStoreSettings imageStore, TraceSettings traces,
    JobSettings jobs) {

  /** The {@code IMAGEGATE_*} variables that a config file's {@code server:} section may also set. */
  static final List<String> FILE_KEYS = List.of("IMAGEGATE_HOST", "IMAGEGATE_PORT", "IMAGEGATE_DATA_DIR",
      "IMAGEGATE_MASTER_KEY", "IMAGEGATE_MAX_BODY_MB", "IMAGEGATE_FETCH_ALLOW_HOSTS", "IMAGEGATE_DATABASE_URL",
      "IMAGEGATE_REDIS_URL", "IMAGEGATE_REDIS_PREFIX", "IMAGEGATE_KEEP_PROMPTS",
      "IMAGEGATE_MAX_IN_FLIGHT", "IMAGEGATE_DRAIN_SECONDS", "IMAGEGATE_BODY_TIMEOUT_SECONDS", "IMAGEGATE_CORS_ORIGINS",
      "IMAGEGATE_METRICS_TOKEN", "IMAGEGATE_METRICS_PORT", "IMAGEGATE_TRUSTED_PROXIES");

  public static Settings fromEnvironment() { return fromEnvironment(System.getenv()); }

  /**
   * Settings from a config file's values, each overridden by the environment variable of the same name when
   * that is set and not blank.
   *
   * @param fileValues values from the file, keyed by the variable names in {@link #FILE_KEYS} (the fetch
   *     allow-list comma-separated, the body limit in MB), as the environment would spell them
   * @throws IllegalArgumentException for an invalid value; the message names the variable and whether the
   *     value came from the environment or the config file
   */
  public static Settings from(Map<String, String> fileValues, Map<String, String> env) {
    Map<String, String> merged = new HashMap<>(env); // settings the file has no key for come from the environment
    Map<String, String> origin = new HashMap<>();
    for (String key : FILE_KEYS) {
      merged.remove(key);
      String fromEnv = blankToNull(env.get(key));
      if (fromEnv != null) {
        merged.put(key, fromEnv);
        origin.put(key, "the environment");
      } else if (fileValues.get(key) != null) {
        merged.put(key, fileValues.get(key));
        origin.put(key, "the config file's server section");
      }
    }
    try {
      return fromEnvironment(merged);
    } catch (IllegalArgumentException e) {
      String msg = String.valueOf(e.getMessage());
      String culprit = FILE_KEYS.stream().filter(k -> msg.startsWith(k + " ")).findFirst().orElse(null);
      if (culprit == null) throw e;
      throw new IllegalArgumentException(msg + " (set in " + origin.get(culprit) + ")", e);
    }
  }

  public static Settings fromEnvironment(Map<String, String> env) {
    String host = env.getOrDefault("IMAGEGATE_HOST", "0.0.0.0");
    int port = integer(env, "IMAGEGATE_PORT", 8080, 0, 65535);
    Path dataDir = Path.of(env.getOrDefault("IMAGEGATE_DATA_DIR", "./data"));
    String master = blankToNull(env.get("IMAGEGATE_MASTER_KEY"));
    long maxBody = integer(env, "IMAGEGATE_MAX_BODY_MB", 100, 1, 4096) * 1024L * 1024L;
    List<String> allow = Arrays.stream(env.getOrDefault("IMAGEGATE_FETCH_ALLOW_HOSTS", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    java.time.Duration urlTtl = java.time.Duration.ofSeconds(integer(env, "IMAGEGATE_IMAGE_URL_TTL_SECONDS", 3600, 60,
        7 * 24 * 3600));
    String publicUrl = blankToNull(env.get("IMAGEGATE_PUBLIC_URL"));
    if (publicUrl != null) publicUrl = publicUrl.replaceAll("/+$", "");
    String databaseUrl = blankToNull(env.get("IMAGEGATE_DATABASE_URL"));
    if (databaseUrl != null) io.imagegate.store.DatabaseUrl.toJdbc(databaseUrl); // fails early, naming the variable
    String redisUrl = blankToNull(env.get("IMAGEGATE_REDIS_URL"));
    if (redisUrl != null && !redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
      throw new IllegalArgumentException("IMAGEGATE_REDIS_URL must be redis://[user:password@]host:port[/db] or"
          + " rediss://…");
    }
    String prefix = env.getOrDefault("IMAGEGATE_REDIS_PREFIX", "imagegate:");
    if (prefix.isBlank() || prefix.length() > 100 || !prefix.matches("[A-Za-z0-9:._{}-]+")) {
      throw new IllegalArgumentException("IMAGEGATE_REDIS_PREFIX must be 1-100 characters of letters, digits and"
          + " :._-{}, not '" + prefix + "'");
    }
    boolean keepPrompts = bool(env, "IMAGEGATE_KEEP_PROMPTS");
    int maxInFlight = integer(env, "IMAGEGATE_MAX_IN_FLIGHT", 0, 0, 1_000_000);
    int drain = integer(env, "IMAGEGATE_DRAIN_SECONDS", 30, 0, 3600);
    int bodyTimeout = integer(env, "IMAGEGATE_BODY_TIMEOUT_SECONDS", 60, 1, 3600);
    String metricsToken = blankToNull(env.get("IMAGEGATE_METRICS_TOKEN"));
    if (metricsToken != null && !metricsToken.matches("[\\x21-\\x7e]{16,256}")) {
      throw new IllegalArgumentException("IMAGEGATE_METRICS_TOKEN must be 16 to 256 visible ASCII characters");
    }
    int metricsPort = env.get("IMAGEGATE_METRICS_PORT") == null || env.get("IMAGEGATE_METRICS_PORT").isBlank() ? -1
        : integer(env, "IMAGEGATE_METRICS_PORT", -1, 0, 65535);
    return new Settings(host, port, dataDir, master, maxBody, allow, databaseUrl, urlTtl, publicUrl, redisUrl, prefix,
        keepPrompts, maxInFlight, drain, bodyTimeout, metricsToken, metricsPort,
        Arrays.stream(env.getOrDefault("IMAGEGATE_TRUSTED_PROXIES", "").split(",")).map(String::trim)
            .filter(a -> !a.isEmpty()).toList(), corsOrigins(env.getOrDefault("IMAGEGATE_CORS_ORIGINS", "")),
        ImageStoreSettings.fromEnvironment(env), TraceSettings.fromEnvironment(env), JobSettings.fromEnvironment(env));
  }

  /** Comma-separated origins, each {@code *} or exactly {@code http(s)://host[:port]} (no path, no slash). */
  private static List<String> corsOrigins(String text) {
    List<String> origins = Arrays.stream(text.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
    for (String o : origins) {
      if (!o.equals("*") && !o.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
        throw new IllegalArgumentException("IMAGEGATE_CORS_ORIGINS must be * or origins such as"
            + " https://app.example.com or http://localhost:3000 (scheme, host and port only), not '" + o + "'");
      }
    }
    return origins.stream().map(o -> o.toLowerCase(java.util.Locale.ROOT)).distinct().toList();
  }

  /** Like the generated one, without the master key, so that printing settings never leaks it. */
  @Override
  public String toString() {
    return "Settings[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", masterKey="
        + (masterKey == null ? "null" : "***") + ", maxBodyBytes=" + maxBodyBytes + ", fetchAllowHosts="
        + fetchAllowHosts + ", databaseUrl=" + redact(databaseUrl) + ", imageUrlTtl=" + imageUrlTtl + ", publicUrl="
        + publicUrl + ", redisUrl=" + redact(redisUrl) + ", redisPrefix=" + redisPrefix + ", keepPrompts=" + keepPrompts
        + ", maxInFlight=" + maxInFlight + ", drainSeconds=" + drainSeconds + ", bodyTimeoutSeconds=" + bodyTimeoutSeconds + ", metricsToken=" + (metricsToken == null ? "null" : "***")
        + ", metricsPort=" + metricsPort + ", trustedProxies=" + trustedProxies + ", corsOrigins=" + corsOrigins + ", imageStore=" + imageStore + ", traces=" + traces + ", jobs=" + jobs + "]";
  }

  /** A URL with any password in it replaced by {@code ***}. */
  private static String redact(String url) {
    return url == null ? "null"
        : url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
  }

  /** The JDBC URL of the store: {@code IMAGEGATE_DATABASE_URL}, else a SQLite file in the data dir. */
  public String jdbcUrl() {
    return databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + dataDir.resolve("imagegate.db").toAbsolutePath();
  }

  private static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
    String raw = blankToNull(env.get(name));
    if (raw == null) return dflt;
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) throw new NumberFormatException();
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
          + ", not '" + raw + "'");
    }
  }

  private static boolean bool(Map<String, String> env, String name) {
    String raw = blankToNull(env.get(name));
    if (raw == null) return false;
    return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, not '" + raw + "'");
    };
  }

  private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s; }
}
