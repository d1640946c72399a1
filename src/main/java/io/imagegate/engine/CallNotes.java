package io.imagegate.engine;

import io.imagegate.api.ImageRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the access log tells of an images call beyond its ledger row, filled in as the call goes: whether it
 * streamed, its prompt's length and a short hash (never the prompt), and how long the upstream took until an
 * answer began (every try and wait of the deployment chain). Unset values are null.
 */
public final class CallNotes {
  private volatile Boolean stream;
  private volatile Integer promptChars;
  private volatile String promptHash;
  private volatile Long upstreamMillis;

  void request(ImageRequest r) {
    stream = Boolean.TRUE.equals(r.stream());
    if (r.prompt() != null) {
      promptChars = r.prompt().codePointCount(0, r.prompt().length());
      promptHash = hash(r.prompt());
    }
  }

  void upstream(long nanos) { upstreamMillis = nanos / 1_000_000; }

  public Boolean stream() { return stream; }

  public Integer promptChars() { return promptChars; }

  /** The first 16 hex digits of the prompt's SHA-256: equal prompts can be told apart from others, not read. */
  public String promptHash() { return promptHash; }

  public Long upstreamMillis() { return upstreamMillis; }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
