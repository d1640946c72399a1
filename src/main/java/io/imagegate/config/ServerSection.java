package io.imagegate.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the file's {@code server:} section into {@link Settings}, the environment winning key by key. Values
 * are checked here, with their line, before {@link Settings#from} sees them; what {@link Settings} still
 * rejects then came from the environment.
 */
final class ServerSection {
  static final List<String> KEYS = List.of("host", "port", "data_dir", "master_key", "max_body_mb",
      "fetch_allow_hosts", "database_url", "redis_url", "redis_prefix", "keep_prompts", "max_in_flight", "drain_seconds",
      "body_timeout_seconds", "cors_origins", "metrics_token", "metrics_port", "trusted_proxies");

  private ServerSection() {}

  /** The settings from {@code server} (null when the file has none) and the environment. */
  static Settings read(Section server, Map<String, String> env) {
    Map<String, String> file = new HashMap<>();
    if (server != null) {
      put(file, "IMAGEGATE_HOST", server.string("host"));
      if (server.has("port")) file.put("IMAGEGATE_PORT", Integer.toString(server.integer("port", 0, 0, 65535)));
      put(file, "IMAGEGATE_DATA_DIR", server.string("data_dir"));
      put(file, "IMAGEGATE_MASTER_KEY", server.string("master_key"));
      // the same bounds as IMAGEGATE_MAX_BODY_MB, so that a file value fails here, with its line
      if (server.has("max_body_mb")) {
        file.put("IMAGEGATE_MAX_BODY_MB", Integer.toString(server.integer("max_body_mb", 0, 1, 4096)));
      }
      List<String> allow = server.strings("fetch_allow_hosts");
      if (allow != null) file.put("IMAGEGATE_FETCH_ALLOW_HOSTS", String.join(",", allow));
      put(file, "IMAGEGATE_DATABASE_URL", server.string("database_url"));
      put(file, "IMAGEGATE_REDIS_URL", server.string("redis_url"));
      put(file, "IMAGEGATE_REDIS_PREFIX", server.string("redis_prefix"));
      if (server.has("max_in_flight")) {
        file.put("IMAGEGATE_MAX_IN_FLIGHT", Integer.toString(server.integer("max_in_flight", 0, 0, 1_000_000)));
      }
      if (server.has("drain_seconds")) {
        file.put("IMAGEGATE_DRAIN_SECONDS", Integer.toString(server.integer("drain_seconds", 30, 0, 3600)));
      }
      if (server.has("body_timeout_seconds")) {
        file.put("IMAGEGATE_BODY_TIMEOUT_SECONDS", Integer.toString(server.integer("body_timeout_seconds", 60, 1, 3600)));
      }
      put(file, "IMAGEGATE_METRICS_TOKEN", server.string("metrics_token"));
      if (server.has("metrics_port")) {
        file.put("IMAGEGATE_METRICS_PORT", Integer.toString(server.integer("metrics_port", 0, 0, 65535)));
      }
      List<String> proxies = server.strings("trusted_proxies");
      if (proxies != null) file.put("IMAGEGATE_TRUSTED_PROXIES", String.join(",", proxies));
      List<String> cors = server.strings("cors_origins");
      if (cors != null) file.put("IMAGEGATE_CORS_ORIGINS", String.join(",", cors));
      if (server.has("keep_prompts")) file.put("IMAGEGATE_KEEP_PROMPTS", Boolean.toString(server.bool("keep_prompts", false)));
    }
    try {
      return Settings.from(file, env);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static void put(Map<String, String> map, String key, String value) {
    if (value != null) map.put(key, value);
  }
}
