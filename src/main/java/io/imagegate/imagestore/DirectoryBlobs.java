package io.imagegate.imagestore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Blobs as files in one directory (the data dir's {@code images/} by default). A blob is written to
 * {@code name.tmp} and renamed into place, so a reader on another instance never sees half an image; the
 * content type is not stored, the name's extension says it. Stray temp files show up in {@link #list} with
 * their {@code .tmp} suffix, so a purge can find them.
 */
final class DirectoryBlobs implements ImageBlobs {
  private final Path dir;

  DirectoryBlobs(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the image directory " + dir, e);
    }
  }

  @Override
  public void put(String name, byte[] bytes, String contentType) throws IOException {
    Path file = dir.resolve(name);
    Path temp = dir.resolve(name + ".tmp");
    try {
      Files.write(temp, bytes);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the purge removes it after expiry
      }
      throw e;
    }
  }

  /** Streams to a temp file beside the blob, then moves it into place: never held whole in memory. */
  @Override
  public void put(String name, InputStream bytes, String contentType) throws IOException {
    Path file = dir.resolve(name);
    Path temp = dir.resolve(name + ".tmp");
    try {
      Files.copy(bytes, temp, StandardCopyOption.REPLACE_EXISTING);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file);
      }
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  @Override
  public Blob get(String name) throws IOException {
    Path file = dir.resolve(name);
    try {
      InputStream in = Files.newInputStream(file);
      try {
        return new Blob(in, Files.size(file), null);
      } catch (IOException e) {
        in.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public boolean delete(String name) throws IOException { return Files.deleteIfExists(dir.resolve(name)); }

  @Override
  public void list(NameVisitor names) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) names.visit(file.getFileName().toString());
    }
  }

  @Override
  public String toString() { return "directory " + dir; }
}
