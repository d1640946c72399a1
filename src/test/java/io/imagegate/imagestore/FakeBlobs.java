package io.imagegate.imagestore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Blobs in memory; while {@link #broken}, every operation fails as an unreachable store would. */
final class FakeBlobs implements ImageBlobs {
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, String> types = new ConcurrentHashMap<>();
  volatile boolean broken;

  @Override
  public void put(String name, byte[] bytes, String contentType) throws IOException {
    check();
    blobs.put(name, bytes.clone());
    types.put(name, contentType);
  }

  @Override
  public Blob get(String name) throws IOException {
    check();
    byte[] bytes = blobs.get(name);
    return bytes == null ? null : new Blob(new ByteArrayInputStream(bytes), bytes.length, types.get(name));
  }

  @Override
  public boolean delete(String name) throws IOException {
    check();
    types.remove(name);
    return blobs.remove(name) != null;
  }

  @Override
  public void list(NameVisitor names) throws IOException {
    check();
    for (String name : List.copyOf(blobs.keySet())) names.visit(name);
  }

  private void check() throws IOException {
    if (broken) throw new IOException("the fake store is broken");
  }

  @Override
  public String toString() { return "fake store"; }
}
