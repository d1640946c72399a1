package io.imagegate.provider;

/** One server-sent event as relayed: its {@code event:} name (may be null) and its {@code data:} text. */
public record SseFrame(String event, String data) {}
