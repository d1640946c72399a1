package io.imagegate.imagestore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The URL signing key: 32 random bytes in a file only its owner may read (0600 where the file system has
 * POSIX permissions). Created once; every later start, and every instance on the same data dir, reads it.
 */
final class KeyFile {
  static final int LENGTH = 32;

  private KeyFile() {}

  static byte[] loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) create(file);
      byte[] key = Files.readAllBytes(file);
      if (key.length != LENGTH) {
        throw new IllegalStateException("the signing key file " + file + " holds " + key.length
            + " bytes, not " + LENGTH + "; delete it to make a new key (outstanding URLs stop working)");
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the signing key file " + file, e);
    }
  }

  /**
   * Writes the key to a private temp file, then links it into place: link fails when the name exists, so
   * of two instances starting together one key wins and neither ever reads a half-written file.
   */
  private static void create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = privateTempFile(dir);
    try {
      byte[] key = new byte[LENGTH];
      new SecureRandom().nextBytes(key);
      Files.write(temp, key);
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException lost) {
        // Another instance made it first: use theirs.
      } catch (UnsupportedOperationException noLinks) {
        if (!Files.exists(file)) Files.move(temp, file);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path privateTempFile(Path dir) throws IOException {
    try {
      return Files.createTempFile(dir, ".signing-key", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      return Files.createTempFile(dir, ".signing-key", ".tmp");
    }
  }
}
