package io.imagegate.usage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a page of {@code GET /admin/requests} ended: the last row's {@code (created_at, request_id)}; the next
 * page starts strictly after it in newest-first order. On the wire it is an opaque base64url string.
 */
public record RequestCursor(long createdAtMillis, String requestId) {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  public RequestCursor {
    Objects.requireNonNull(requestId, "requestId");
  }

  /** The cursor after this row. */
  public static RequestCursor after(LedgerEntry e) { return new RequestCursor(e.at().toEpochMilli(), e.requestId()); }

  /** The opaque form: base64url of {@code <created_at ms>:<request id>}. */
  public String encode() {
    return ENCODER.encodeToString((createdAtMillis + ":" + requestId).getBytes(StandardCharsets.UTF_8));
  }

  /** Reads {@link #encode()}'s form; {@link IllegalArgumentException} for anything else. */
  public static RequestCursor decode(String s) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor of this listing");
    }
    int colon = text.indexOf(':');
    String millis = colon < 1 ? "" : text.substring(0, colon);
    String id = colon < 0 ? "" : text.substring(colon + 1);
    if (millis.length() > 19 || !millis.chars().allMatch(ch -> ch >= '0' && ch <= '9') || id.isEmpty()
        || id.length() > LedgerEntry.ID_MAX) {
      throw new IllegalArgumentException("not a cursor of this listing");
    }
    try {
      return new RequestCursor(Long.parseLong(millis), id);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a cursor of this listing");
    }
  }
}
