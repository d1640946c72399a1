package io.imagegate.imagestore;

import io.imagegate.api.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generated images kept for {@code response_format: url}, as files {@code {id}.{expires}.{ext}} in one
 * directory (the data dir by default), handed out as signed, expiring relative URLs
 * {@code /v1/images/files/{id}?expires=…&signature=…}. The signature (HMAC-SHA256 of
 * {@code id.expires.contentType}) is what authorises a download: the URL needs no API key, so it works in an
 * {@code <img>} tag, and nobody can stretch its expiry or guess another id. Instances sharing the directory
 * and the key file serve each other's images. Thread-safe.
 *
 * <p>An S3-compatible bucket is not supported yet: it would take this class's place behind the same three
 * operations (save, open, purge), with the bucket's own presigned URLs or this signature in front of it.
 */
public final class ImageStore {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern FILE = Pattern.compile("([A-Za-z0-9_-]{1,64})\\.(\\d{1,19})\\.(png|jpeg|webp)(\\.tmp)?");
  private static final String[] TYPES = {"image/png", "image/jpeg", "image/webp"};
  /** Files outlive their URL a little, so a download that was let in just before expiry can still finish. */
  private static final Duration PURGE_GRACE = Duration.ofMinutes(5);

  private final Path dir;
  private final Signer signer;
  private final Duration ttl;
  private final Clock clock;

  /** A saved image: its id, its signed relative URL and when that URL stops working. */
  public record StoredImage(String id, String path, Instant expiresAt) {}

  /** An image that may be served: the file, its content type and size in bytes. */
  public record Found(Path file, String contentType, long size) {}

  /**
   * @param signingKey at least 16 bytes, normally {@link #loadOrCreateKey}
   * @param ttl how long a URL works (default 1 h)
   */
  public ImageStore(Path dir, byte[] signingKey, Duration ttl, Clock clock) {
    this.dir = Objects.requireNonNull(dir, "dir");
    if (signingKey == null || signingKey.length < 16) throw new IllegalArgumentException("signing key too short");
    if (ttl == null || ttl.toSeconds() < 1) throw new IllegalArgumentException("ttl must be at least one second");
    this.signer = new Signer(signingKey);
    this.ttl = ttl;
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the image directory " + dir, e);
    }
  }

  /** 32 random bytes kept in {@code file} (0600), made on first use so URLs survive restarts. */
  public static byte[] loadOrCreateKey(Path file) { return KeyFile.loadOrCreate(file); }

  /**
   * Saves an image and signs a URL for it.
   *
   * @param contentType {@code image/png}, {@code image/jpeg} or {@code image/webp}
   * @throws IllegalArgumentException for any other content type
   */
  public StoredImage save(byte[] image, String contentType) {
    Objects.requireNonNull(image, "image");
    String ext = extension(contentType);
    if (ext == null) throw new IllegalArgumentException("unsupported image content type: " + contentType);
    byte[] raw = new byte[16];
    RANDOM.nextBytes(raw);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    long expires = clock.instant().plus(ttl).getEpochSecond();
    Path file = dir.resolve(id + "." + expires + "." + ext);
    Path temp = dir.resolve(file.getFileName() + ".tmp");
    try {
      // Temp then rename: a reader on another instance never sees a half-written image.
      Files.write(temp, image);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // purgeExpired() removes it after expiry.
      }
      throw new UncheckedIOException("cannot save the image", e);
    }
    String path = "/v1/images/files/" + id + "?expires=" + expires + "&signature=" + signer.sign(id, expires, contentType);
    return new StoredImage(id, path, Instant.ofEpochSecond(expires));
  }

  /**
   * Checks the signature (constant-time) and then the expiry, and finds the file. The signature is checked
   * before anything touches the disk, so an unsigned request learns nothing about which ids exist.
   *
   * @throws ApiException 404 {@code not_found} for an id outside {@code [A-Za-z0-9_-]} or a file that is
   *     gone; 403 {@code invalid_signature} for a missing or wrong signature or expires; 410 {@code expired}
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
    Path file = dir.resolve(id + "." + exp + "." + extension(contentType));
    try {
      return new Found(file, contentType, Files.size(file));
    } catch (NoSuchFileException e) {
      throw notFound();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the image " + id, e);
    }
  }

  /** Deletes images (and stray temp files) more than a small grace past their expiry; returns how many. */
  public int purgeExpired() {
    long cutoff = clock.instant().minus(PURGE_GRACE).getEpochSecond();
    int count = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        if (m.matches() && Long.parseLong(m.group(2)) < cutoff && Files.deleteIfExists(file)) count++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot purge the image directory " + dir, e);
    }
    return count;
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

  private static ApiException notFound() {
    return new ApiException(404, "invalid_request_error", null, "not_found", "No such image file.");
  }
}
