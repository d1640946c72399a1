package io.imagegate.imagestore;

import io.imagegate.config.ImageStoreSettings;
import io.imagegate.api.ApiException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generated images kept for {@code response_format: url}, as blobs named {@code {id}.{expires}.{ext}} in an
 * {@link ImageBlobs} (a directory, the data dir by default, or an S3-compatible bucket), handed out as signed,
 * expiring relative URLs {@code /v1/images/files/{id}?expires=…&signature=…}. The signature (HMAC-SHA256 of
 * {@code id.expires.contentType}) is what authorises a download: the URL needs no API key, so it works in an
 * {@code <img>} tag, and nobody can stretch its expiry or guess another id. The gateway always serves the
 * bytes itself; clients never talk to the bucket. Instances sharing the directory or bucket and the signing
 * key serve each other's images. Thread-safe.
 */
public final class ImageStore {
  private static final Logger LOG = LoggerFactory.getLogger(ImageStore.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_-]{1,64})\\.(\\d{1,19})\\.(png|jpeg|webp)(\\.tmp)?");
  private static final Pattern DOCUMENT = Pattern.compile("[a-z]{1,16}-[A-Za-z0-9_-]{1,64}\\.[a-z]{1,16}\\.json");
  private static final String[] TYPES = {"image/png", "image/jpeg", "image/webp"};
  /** Blobs outlive their URL a little, so a download that was let in just before expiry can still finish. */
  private static final Duration PURGE_GRACE = Duration.ofMinutes(5);

  private final ImageBlobs blobs;
  private final Signer signer;
  private final Duration ttl;
  private final Clock clock;

  /** A saved image: its id, its signed relative URL and when that URL stops working. */
  public record StoredImage(String id, String path, Instant expiresAt) {}

  /**
   * An image being served: its content type (the one the URL was signed for), its size in bytes (-1 when the
   * store did not say) and its bytes, streamed from the store. The caller closes it.
   */
  public record Found(String contentType, long size, InputStream body) implements Closeable {
    @Override
    public void close() throws IOException { body.close(); }
  }

  /**
   * A store of files in {@code dir}.
   *
   * @param signingKey at least 16 bytes, normally {@link #loadOrCreateKey}
   * @param ttl how long a URL works (default 1 h)
   */
  public ImageStore(Path dir, byte[] signingKey, Duration ttl, Clock clock) {
    this(new DirectoryBlobs(dir), signingKey, ttl, clock);
  }

  ImageStore(ImageBlobs blobs, byte[] signingKey, Duration ttl, Clock clock) {
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    if (signingKey == null || signingKey.length < 16) throw new IllegalArgumentException("signing key too short");
    if (ttl == null || ttl.toSeconds() < 1) throw new IllegalArgumentException("ttl must be at least one second");
    this.signer = new Signer(signingKey);
    this.ttl = ttl;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The store the settings describe: the data dir's {@code images/} or the bucket, signing with
   * {@code IMAGEGATE_URL_SIGNING_KEY} when set, else with the data dir's {@code url-signing.key}.
   */
  public static ImageStore create(ImageStoreSettings settings, Path dataDir, Duration ttl, Clock clock) {
    byte[] key = settings.urlSigningKey();
    if (key == null) key = loadOrCreateKey(dataDir.resolve("url-signing.key"));
    if (settings.bucket() == null) return new ImageStore(dataDir.resolve("images"), key, ttl, clock);
    S3Blobs bucket = new S3Blobs(settings.bucket());
    LOG.info("images for url answers go to the {}{}", bucket, settings.urlSigningKey() != null ? ""
        : "; their URLs are signed with " + dataDir.resolve("url-signing.key") + ", so other instances sharing"
            + " the bucket need that key too (or set IMAGEGATE_URL_SIGNING_KEY on all of them)");
    return new ImageStore(bucket, key, ttl, clock);
  }

  /** 32 random bytes kept in {@code file} (0600), made on first use so URLs survive restarts. */
  public static byte[] loadOrCreateKey(Path file) { return KeyFile.loadOrCreate(file); }

  /**
   * Saves an image and signs a URL for it.
   *
   * @param contentType {@code image/png}, {@code image/jpeg} or {@code image/webp}
   * @throws IllegalArgumentException for any other content type
   * @throws ApiException 502 {@code image_store_error} when the store cannot take it
   */
  public StoredImage save(byte[] image, String contentType) {
    Objects.requireNonNull(image, "image");
    String ext = extension(contentType);
    if (ext == null) throw new IllegalArgumentException("unsupported image content type: " + contentType);
    byte[] raw = new byte[16];
    RANDOM.nextBytes(raw);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    long expires = clock.instant().plus(ttl).getEpochSecond();
    try {
      blobs.put(id + "." + expires + "." + ext, image, contentType);
    } catch (IOException e) {
      LOG.warn("cannot save an image to the {}: {}", blobs, e.getMessage());
      throw storeFailed("save");
    }
    String path = "/v1/images/files/" + id + "?expires=" + expires + "&signature=" + signer.sign(id, expires, contentType);
    return new StoredImage(id, path, Instant.ofEpochSecond(expires));
  }

  /**
   * Checks the signature (constant-time) and then the expiry, and opens the image. The signature is checked
   * before anything touches the store, so an unsigned request learns nothing about which ids exist.
   *
   * @throws ApiException 404 {@code not_found} for an id outside {@code [A-Za-z0-9_-]} or an image that is
   *     gone; 403 {@code invalid_signature} for a missing or wrong signature or expires; 410 {@code expired};
   *     502 {@code image_store_error} when the store cannot be read
   */
  public Found open(String id, String expires, String signature) {
    if (id == null || !ID.matcher(id).matches()) throw notFound();
    if (expires == null || signature == null || !expires.matches("\\d{1,18}")) throw badSignature();
    long exp = Long.parseLong(expires);
    String contentType = null;
    for (String type : TYPES) {
      if (signer.verify(id, exp, type, signature)) contentType = type;
    }
    if (contentType == null) throw badSignature();
    if (clock.instant().getEpochSecond() >= exp) {
      throw new ApiException(410, "invalid_request_error", null, "expired", "This image URL has expired.");
    }
    ImageBlobs.Blob blob;
    try {
      blob = blobs.get(id + "." + exp + "." + extension(contentType));
    } catch (IOException e) {
      LOG.warn("cannot read image {} from the {}: {}", id, blobs, e.getMessage());
      throw storeFailed("read");
    }
    if (blob == null) throw notFound();
    return new Found(contentType, blob.size(), blob.body());
  }

  /** Deletes images (and stray temp files) more than a small grace past their expiry; returns how many. */
  public int purgeExpired() {
    long cutoff = clock.instant().minus(PURGE_GRACE).getEpochSecond();
    int[] count = {0};
    try {
      blobs.list(name -> {
        Matcher m = NAME.matcher(name);
        if (m.matches() && Long.parseLong(m.group(2)) < cutoff && blobs.delete(name)) count[0]++;
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot purge the " + blobs + " (" + count[0] + " deleted): " + e.getMessage(), e);
    }
    return count[0];
  }

  /**
   * Keeps a document that belongs with the images, an async job's request or answer, under {@code name}
   * ({@code job-{id}.result.json}): written whole or not at all, never signed, never purged by
   * {@link #purgeExpired} (its owner deletes it).
   *
   * @throws ApiException 502 {@code image_store_error} when the store cannot take it
   */
  public void putDocument(String name, byte[] bytes) {
    try {
      blobs.put(documentName(name), bytes, "application/json");
    } catch (IOException e) {
      LOG.warn("cannot save {} to the {}: {}", name, blobs, e.getMessage());
      throw storeFailed("save");
    }
  }

  /**
   * Keeps a document streamed from {@code bytes} (an uploaded batch file, up to hundreds of megabytes), as
   * {@link #putDocument} does; a directory store never holds it whole in memory.
   *
   * @throws IOException when the stream cannot be read or the store cannot take it
   */
  public void putDocument(String name, InputStream bytes) throws IOException {
    blobs.put(documentName(name), bytes, "application/octet-stream");
  }

  /** A document's size in bytes, or -1 when it is gone or the store does not say. */
  public long documentSize(String name) throws IOException {
    ImageBlobs.Blob blob = blobs.get(documentName(name));
    if (blob == null) return -1;
    try (blob) {
      return blob.size();
    }
  }

  /** Opens a document kept by {@link #putDocument}; null when it is gone. The caller closes it. */
  public InputStream openDocument(String name) throws IOException {
    ImageBlobs.Blob blob = blobs.get(documentName(name));
    return blob == null ? null : blob.body();
  }

  /** Deletes a document kept by {@link #putDocument}, if it is there. */
  public void deleteDocument(String name) throws IOException { blobs.delete(documentName(name)); }

  private static String documentName(String name) {
    if (!DOCUMENT.matcher(name).matches()) throw new IllegalArgumentException("not a document name: " + name);
    return name;
  }

  private static String extension(String contentType) {
    if (contentType == null) return null;
    return switch (contentType) {
      case "image/png" -> "png";
      case "image/jpeg" -> "jpeg";
      case "image/webp" -> "webp";
      default -> null;
    };
  }

  private static ApiException badSignature() {
    return new ApiException(403, "invalid_request_error", "signature", "invalid_signature",
        "The image URL's signature is missing or invalid.");
  }

  private static ApiException storeFailed(String what) {
    return new ApiException(502, "server_error", null, "image_store_error",
        "The gateway's image store failed to " + what + " the image; try again later.");
  }

  private static ApiException notFound() {
    return new ApiException(404, "invalid_request_error", null, "not_found", "No such image file.");
  }
}
