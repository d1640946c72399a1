package io.imagegate.batch;

import io.imagegate.api.ApiException;
import io.imagegate.auth.ApiKey;
import io.imagegate.imagestore.ImageStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * OpenAI's Files API, as far as batches and images need it: {@code POST /v1/files} streams the upload to the
 * image store (never whole in memory on a directory store), {@code GET /v1/files[/{id}[/content]]} and
 * {@code DELETE /v1/files/{id}}. A file belongs to the key that uploaded it (a batch's output files to the
 * batch's key): any other key gets 404, an admin key sees all. Thread-safe.
 */
public final class BatchFiles {
  /** The purposes a client may upload for. */
  static final Set<String> UPLOAD_PURPOSES = Set.of("batch", "vision", "user_data");
  static final String OUTPUT_PURPOSE = "batch_output";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcBatchStore store;
  private final ImageStore images;
  private final long maxBytes;
  private final Clock clock;

  /** A file's bytes being served: its size and the stream, which the caller closes. */
  public record Content(long size, InputStream body) {}

  BatchFiles(JdbcBatchStore store, ImageStore images, long maxBytes, Clock clock) {
    this.store = store;
    this.images = images;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /** The files of {@code db}, kept in {@code images}, uploads up to {@code maxBytes}. */
  public static BatchFiles create(DataSource db, ImageStore images, long maxBytes, Clock clock) {
    return new BatchFiles(new JdbcBatchStore(db), images, maxBytes, clock);
  }

  /** The largest upload, in bytes. */
  public long maxBytes() { return maxBytes; }

  /**
   * {@code POST /v1/files}: keeps {@code content} as a file of {@code purpose} and answers its file object.
   *
   * @throws ApiException 400 for a missing or unknown purpose or file name; 413 {@code file_too_large} past
   *     {@link #maxBytes()} (nothing is kept)
   */
  public byte[] upload(ApiKey key, String purpose, String filename, InputStream content) throws IOException {
    if (purpose == null || purpose.isBlank()) {
      throw new ApiException(400, "invalid_request_error", "purpose", "missing_required_parameter", "Missing"
          + " required parameter: 'purpose' (one of batch, vision, user_data).");
    }
    if (!UPLOAD_PURPOSES.contains(purpose)) {
      throw ApiException.invalidValue("purpose", "'purpose' must be one of batch, vision, user_data; not '"
          + purpose + "'.");
    }
    if (content == null) {
      throw new ApiException(400, "invalid_request_error", "file", "missing_required_parameter", "Missing"
          + " required parameter: 'file' (a multipart file part).");
    }
    String name = filename == null || filename.isBlank() ? "upload" : filename;
    if (name.length() > 512) throw ApiException.invalidValue("file", "The file name must be at most 512 characters.");
    StoredFile file = new StoredFile(newId(), key.id(), purpose, name, 0, clock.millis());
    Counting counted = new Counting(content, maxBytes);
    try {
      images.putDocument(file.document(), counted);
    } catch (IOException | RuntimeException e) {
      images.deleteDocument(file.document());
      if (counted.tooLarge) throw tooLarge(maxBytes);
      throw e;
    }
    StoredFile kept = new StoredFile(file.id(), file.keyId(), purpose, name, counted.count, file.createdAt());
    store.insertFile(kept);
    return BatchAnswers.file(kept);
  }

  /** {@code GET /v1/files/{id}}. */
  public byte[] get(ApiKey key, String id) { return BatchAnswers.file(visible(key, id)); }

  /** {@code GET /v1/files/{id}/content}: the bytes as uploaded (or as the batch wrote them). */
  public Content content(ApiKey key, String id) throws IOException {
    StoredFile file = visible(key, id);
    InputStream in = images.openDocument(file.document());
    if (in == null) throw notFound(id);
    return new Content(file.bytes(), in);
  }

  /** {@code DELETE /v1/files/{id}}: the file and its bytes. */
  public byte[] delete(ApiKey key, String id) throws IOException {
    StoredFile file = visible(key, id);
    images.deleteDocument(file.document());
    store.deleteFile(file.id());
    return BatchAnswers.deleted(file.id());
  }

  /** {@code GET /v1/files}: the key's files (an admin key's: all), newest first, optionally of one purpose. */
  public byte[] list(ApiKey key, String purpose, String limit, String after) {
    int n = Pages.limit(limit, 10_000, 10_000);
    Pages.after(after, "file-");
    List<StoredFile> files = store.files(key.admin() ? null : key.id(), purpose, after, n + 1);
    boolean more = files.size() > n;
    return BatchAnswers.files(more ? files.subList(0, n) : files, more);
  }

  /**
   * The request with each {@code file_id} image (and mask) replaced by the bytes of that file, which must be
   * the calling key's (or any, for an admin key) and uploaded for {@code vision} or {@code user_data}.
   *
   * @throws ApiException 400 {@code invalid_value} for an unknown file, another key's, or one of another purpose
   */
  public io.imagegate.api.ImageRequest withFiles(ApiKey key, io.imagegate.api.ImageRequest r) throws IOException {
    boolean any = r.mask() != null && isFile(r.mask());
    for (io.imagegate.api.ImageRef ref : r.images()) any |= isFile(ref);
    if (!any) return r;
    List<io.imagegate.api.ImageRef> images = new java.util.ArrayList<>();
    for (io.imagegate.api.ImageRef ref : r.images()) images.add(isFile(ref) ? bytesOf(key, ref) : ref);
    io.imagegate.api.ImageRef mask = r.mask() != null && isFile(r.mask()) ? bytesOf(key, r.mask()) : r.mask();
    return new io.imagegate.api.ImageRequest(r.operation(), r.model(), r.prompt(), r.n(), r.size(), r.quality(),
        r.background(), r.outputFormat(), r.outputCompression(), r.moderation(), r.stream(), r.partialImages(),
        r.inputFidelity(), r.responseFormat(), r.style(), r.user(), List.copyOf(images), mask, r.extra());
  }

  private static boolean isFile(io.imagegate.api.ImageRef ref) {
    return ref.reference() != null && ref.reference().startsWith(io.imagegate.api.ImageRequestReader.FILE_REFERENCE);
  }

  private io.imagegate.api.ImageRef bytesOf(ApiKey key, io.imagegate.api.ImageRef ref) throws IOException {
    String id = ref.reference().substring(io.imagegate.api.ImageRequestReader.FILE_REFERENCE.length());
    StoredFile file;
    try {
      file = visible(key, id);
    } catch (ApiException e) {
      throw ApiException.invalidValue(ref.param(), "No such File object for 'file_id': " + id);
    }
    if (!file.purpose().equals("vision") && !file.purpose().equals("user_data")) {
      throw ApiException.invalidValue(ref.param(), "The file " + id + " has purpose '" + file.purpose() + "'; an"
          + " image given by 'file_id' must be uploaded with purpose 'vision' or 'user_data'.");
    }
    try (InputStream in = images.openDocument(file.document())) {
      if (in == null) throw ApiException.invalidValue(ref.param(), "No such File object for 'file_id': " + id);
      return io.imagegate.api.ImageRef.ofBytes(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes)),
          ref.param());
    }
  }

  /** The file, if {@code key} may see it. */
  StoredFile visible(ApiKey key, String id) {
    Optional<StoredFile> file = id == null ? Optional.empty() : store.file(id);
    if (file.isEmpty() || !(file.get().keyId().equals(key.id()) || key.admin())) throw notFound(id);
    return file.get();
  }

  /** Keeps a batch's output or error file, streamed from {@code content}, as the batch key's. */
  StoredFile keepOutput(String keyId, String filename, InputStream content, long bytes) throws IOException {
    StoredFile file = new StoredFile(newId(), keyId, OUTPUT_PURPOSE, filename, bytes, clock.millis());
    images.putDocument(file.document(), content);
    store.insertFile(file);
    return file;
  }

  /** Opens a file's bytes; null when they are gone. */
  InputStream open(StoredFile file) throws IOException { return images.openDocument(file.document()); }

  static ApiException notFound(String id) {
    return new ApiException(404, "invalid_request_error", "file_id", "file_not_found", "No such File object: "
        + id);
  }

  private static ApiException tooLarge(long max) {
    return new ApiException(413, "invalid_request_error", "file", "file_too_large", "The file is larger than "
        + (max / (1024 * 1024)) + " MB, the most this gateway takes.");
  }

  /** {@code file-} and 24 hex digits: 12 of the time in milliseconds (so ids sort by creation) and 12 random. */
  private String newId() {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    return "file-" + String.format("%012x", clock.millis()) + HexFormat.of().formatHex(random);
  }

  /** Counts what passes, and fails the read past {@code max}, so an oversized upload stops at the limit. */
  private static final class Counting extends FilterInputStream {
    private final long max;
    private long count;
    private boolean tooLarge;

    Counting(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) add(1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) add(n);
      return n;
    }

    private void add(int n) throws IOException {
      count += n;
      if (count > max) {
        tooLarge = true;
        throw new IOException("upload past " + max + " bytes");
      }
    }
  }
}
