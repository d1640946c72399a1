package io.imagegate.engine;

import io.imagegate.api.ImageRef;
import io.imagegate.api.ImageRequest;
import io.imagegate.idempotency.RequestHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What "the same body" means for {@code Idempotency-Key}: a hash of every field the request carries and of
 * every input image's bytes or reference, independent of JSON key order or multipart part order of fields.
 */
final class RequestFingerprint {
  private RequestFingerprint() {}

  static String of(String path, ImageRequest r) {
    List<byte[]> parts = new ArrayList<>();
    parts.add(text(path));
    String scalars = String.join("\n", "model=" + r.model(), "prompt=" + r.prompt(), "n=" + r.n(), "size=" + r.size(),
        "quality=" + r.quality(), "background=" + r.background(), "output_format=" + r.outputFormat(),
        "output_compression=" + r.outputCompression(), "moderation=" + r.moderation(), "stream=" + r.stream(),
        "partial_images=" + r.partialImages(), "input_fidelity=" + r.inputFidelity(),
        "response_format=" + r.responseFormat(), "style=" + r.style(), "user=" + r.user(),
        "extra=" + new TreeMap<>(r.extra()));
    parts.add(text(scalars));
    for (ImageRef image : r.images()) addImage(parts, image);
    if (r.mask() != null) addImage(parts, r.mask());
    return RequestHash.sha256Hex(parts.toArray(byte[][]::new));
  }

  private static void addImage(List<byte[]> parts, ImageRef ref) {
    parts.add(text(ref.param()));
    parts.add(ref.bytes() != null ? ref.bytes() : text(ref.reference()));
  }

  private static byte[] text(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
