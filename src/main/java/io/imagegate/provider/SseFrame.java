package io.imagegate.provider;

/**
 * One server-sent event as relayed: its {@code event:} name (may be null) and its {@code data:} text; a frame
 * with null data is a keep-alive, sent to the client as an SSE comment.
 */
public record SseFrame(String event, String data) {}
