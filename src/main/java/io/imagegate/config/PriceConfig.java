package io.imagegate.config;

/**
 * A model's prices from the config file's {@code prices:} section, USD per 1M tokens, billed separately for
 * text in, image in and image out (spec §7 gives the defaults), and USD per image answered.
 */
public record PriceConfig(String model, double textIn, double imageIn, double imageOut, double perImage) {}
