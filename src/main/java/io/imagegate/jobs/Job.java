package io.imagegate.jobs;

/**
 * One row of {@code image_jobs}. Times are epoch milliseconds (0 when not yet).
 *
 * @param error the spec §8 error object as JSON text, for a job that failed
 * @param priceFactor what its charge's list price is multiplied by: 1, or a batch line's discount
 */
record Job(String id, String keyId, String operation, String model, Status status, long createdAt, long startedAt,
    long finishedAt, String baseUrl, String fingerprint, int attempts, int errorStatus, String error,
    double priceFactor) {

  /** Where a job is; the wire names are the lower-case names. */
  enum Status {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, EXPIRED;

    String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    boolean finished() { return this != QUEUED && this != RUNNING; }

    static Status of(String wire) { return valueOf(wire.toUpperCase(java.util.Locale.ROOT)); }
  }

  /** The blob that holds the request a worker runs. */
  String requestDocument() { return "job-" + id + ".request.json"; }

  /** The blob that holds the answer of a job that succeeded. */
  String resultDocument() { return "job-" + id + ".result.json"; }
}
