package io.imagegate.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** Replayed headers as a JSON object in one VARCHAR column, kept in their original order. */
final class HeadersJson {
  /** The column's size in the migration; checked here so SQLite (which ignores it) fails like PostgreSQL. */
  static final int MAX_CHARS = 8000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> TYPE = new TypeReference<>() {};

  private HeadersJson() {}

  static String write(Map<String, String> headers) {
    try {
      String json = JSON.writeValueAsString(headers == null ? Map.of() : headers);
      if (json.length() > MAX_CHARS) throw new IllegalArgumentException("replayed headers exceed " + MAX_CHARS + " chars");
      return json;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("headers cannot be stored: " + e.getOriginalMessage(), e);
    }
  }

  static Map<String, String> read(String json) {
    if (json == null || json.isEmpty()) return Map.of();
    try {
      return JSON.readValue(json, TYPE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored idempotency headers are unreadable: " + e.getOriginalMessage(), e);
    }
  }
}
