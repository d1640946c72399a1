package io.imagegate.imagestore;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where the bytes of stored images live: a directory ({@link DirectoryBlobs}) or an S3-compatible bucket
 * ({@link S3Blobs}). Blobs are named by {@link ImageStore} ({@code {id}.{expires}.{ext}}) and written once;
 * signing, expiry and which names to purge are the store's business, not this one's. Implementations are
 * thread-safe and may be shared by several gateway instances at once.
 */
interface ImageBlobs {

  /** Stores {@code bytes} under {@code name}, whole or not at all: no reader ever sees a partial blob. */
  void put(String name, byte[] bytes, String contentType) throws IOException;

  /**
   * Stores the stream's bytes under {@code name}, whole or not at all. This default reads the stream into
   * memory (a bucket's single PUT needs its length first); a directory streams it to disk instead.
   */
  default void put(String name, InputStream bytes, String contentType) throws IOException {
    put(name, bytes.readAllBytes(), contentType);
  }

  /**
   * Opens a blob for streaming; the caller closes it.
   *
   * @return null when there is no blob of that name
   * @throws IOException when the store cannot be read
   */
  Blob get(String name) throws IOException;

  /** Deletes a blob; true when it was there (as far as the store tells). */
  boolean delete(String name) throws IOException;

  /** Hands every blob name to {@code names}, in no particular order; names may be deleted meanwhile. */
  void list(NameVisitor names) throws IOException;

  /** Receives blob names from {@link #list}. */
  @FunctionalInterface
  interface NameVisitor {
    void visit(String name) throws IOException;
  }

  /**
   * An open blob.
   *
   * @param size its length in bytes, or -1 when the store did not say
   * @param contentType as stored with the blob, or null when the store keeps none
   */
  record Blob(InputStream body, long size, String contentType) implements Closeable {
    @Override
    public void close() throws IOException { body.close(); }
  }
}
