package io.imagegate.usage;

/**
 * Sums over one group of ledger rows. {@code group} is a UTC date {@code yyyy-MM-dd} (by day), a key id or a
 * model asked; {@code images} counts images returned.
 */
public record UsageTotal(String group, long requests, long images, long textInTokens, long imageInTokens,
    long imageOutTokens, double costUsd) {}
