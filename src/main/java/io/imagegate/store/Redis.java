package io.imagegate.store;

import java.net.URI;
import java.util.List;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Redis that several gateway instances share for their counters ({@code IMAGEGATE_REDIS_URL}): a pooled
 * client and the key prefix. Features keep their logic in Lua {@link Script}s, each run atomically by Redis,
 * so that instances never race on a counter. Thread-safe.
 */
public final class Redis implements AutoCloseable {
  private final RedisClient client;
  private final String prefix;

  private Redis(RedisClient client, String prefix) {
    this.client = client;
    this.prefix = prefix;
  }

  /**
   * Connects to {@code redis://[user:password@]host:port[/db]} (or {@code rediss://} for TLS) and checks that it
   * answers.
   *
   * @throws IllegalStateException when it does not answer, with a message that holds no password
   */
  public static Redis connect(String url, String prefix) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    // Each request holds a connection for one short script; virtual threads queue for one beyond this.
    pool.setMaxTotal(64);
    pool.setMaxIdle(64);
    pool.setMinIdle(2);
    pool.setMaxWait(java.time.Duration.ofSeconds(5));
    RedisClient client = RedisClient.builder().fromURI(URI.create(url)).poolConfig(pool).build();
    Redis redis = new Redis(client, prefix);
    if (!redis.reachable()) {
      client.close();
      throw new IllegalStateException("Redis at " + DatabaseUrl.hostAndPath(url) + " does not answer");
    }
    return redis;
  }

  /** The prefix of every key the gateway writes. */
  public String prefix() { return prefix; }

  /** Whether Redis answers a PING now; drives {@code GET /ready}. */
  public boolean reachable() {
    try {
      return "PONG".equals(client.ping());
    } catch (JedisException e) {
      return false;
    }
  }

  /**
   * Runs a script atomically (by its SHA-1, loading it on first use or after a Redis restart).
   *
   * @throws JedisException when Redis fails or the script raises an error
   */
  public Object run(Script script, List<String> keys, List<String> args) {
    try {
      return client.evalsha(script.sha1(), keys, args);
    } catch (JedisNoScriptException e) {
      return client.eval(script.source(), keys, args);
    }
  }

  /** A script's integer reply, whether Redis sent it as an integer or as a string of digits. */
  public static long asLong(Object reply) {
    if (reply instanceof Long l) return l;
    if (reply instanceof byte[] b) return Long.parseLong(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
    return Long.parseLong(String.valueOf(reply));
  }

  @Override
  public void close() { client.close(); }

  /** A Lua script and its SHA-1, as {@code EVALSHA} names it. */
  public record Script(String source, String sha1) {
    public static Script of(String source) {
      try {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
            .digest(source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Script(source, java.util.HexFormat.of().formatHex(digest));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
