package io.imagegate.batch;

/**
 * One row of {@code batch_files}: an uploaded file (or a batch's output or error file), its bytes in the image
 * store under {@link #document()}. Times are epoch milliseconds.
 */
record StoredFile(String id, String keyId, String purpose, String filename, long bytes, long createdAt) {

  /** The image store document that holds the file's bytes. */
  String document() { return id + ".content.json"; }
}
