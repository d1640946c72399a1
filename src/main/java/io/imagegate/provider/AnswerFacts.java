package io.imagegate.provider;

/**
 * The resolved values an answer echoes (spec §5): never {@code auto}.
 *
 * @param size {@code WxH}
 */
public record AnswerFacts(String size, String quality, String background, String outputFormat) {}
