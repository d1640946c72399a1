package io.imagegate.batch;

/**
 * One row of {@code batches}. Times are epoch milliseconds, 0 when not yet.
 *
 * @param metadata the client's {@code metadata} object as JSON text, or null
 * @param errors the validation errors' {@code data} array as JSON text, or null
 * @param completed lines that succeeded, once the batch ended (counted from its jobs before)
 * @param failed lines that failed, once the batch ended
 * @param baseUrl how the client reached the gateway: the base of its lines' image URLs
 */
record Batch(String id, String keyId, String endpoint, String inputFileId, String status, String metadata,
    String errors, int total, String outputFileId, String errorFileId, long createdAt, long inProgressAt,
    long finalizingAt, long completedAt, long failedAt, long expiresAt, long expiredAt, long cancellingAt,
    long cancelledAt, int completed, int failed, String baseUrl) {

  /** Whether the batch has ended: nothing more will change. */
  boolean ended() {
    return switch (status) {
      case "completed", "failed", "expired", "cancelled" -> true;
      default -> false;
    };
  }
}
