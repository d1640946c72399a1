package io.imagegate.idempotency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Answer bodies on local disk: {@code <sha256(owner, key)>.<claim token>.tmp} while being recorded (always),
 * and {@code ….body} once complete when bodies are kept as files (SQLite). The token in the name means a
 * claimant that lost its claim can never overwrite the body of the one that replaced it, and no database row
 * names a file path.
 */
final class BodyFiles {
  private final Path dir;

  BodyFiles(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the idempotency directory " + dir, e);
    }
  }

  Path body(String owner, String key, String token) { return dir.resolve(stem(owner, key, token) + ".body"); }

  Path temp(String owner, String key, String token) { return dir.resolve(stem(owner, key, token) + ".tmp"); }

  /** Makes the recorded temp file the claim's body file. */
  void keep(Path temp, String owner, String key, String token) throws IOException {
    Path body = body(owner, key, token);
    try {
      Files.move(temp, body, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, body, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes the claim's files, ignoring any that are gone already. */
  void delete(String owner, String key, String token) {
    deleteQuietly(body(owner, key, token));
    deleteQuietly(temp(owner, key, token));
  }

  /**
   * Deletes body and temp files last modified before {@code cutoffMillis}: leftovers of processes that died
   * or rows removed by another instance. A file is written after its row is created, so one older than the
   * row lifetime plus a margin can belong to no live row.
   */
  void sweep(long cutoffMillis) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{body,tmp}")) {
      for (Path file : files) {
        try {
          if (Files.getLastModifiedTime(file).toMillis() < cutoffMillis) Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // Gone already or unreadable: the next sweep tries again.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the idempotency directory " + dir, e);
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // Best effort: sweep() removes what is left behind.
    }
  }

  private static String stem(String owner, String key, String token) {
    return RequestHash.sha256Hex(owner.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))
        + "." + token;
  }
}
