package io.imagegate.api;

/**
 * One input image as the client gave it: either a reference (http(s) URL, data URL or bare base64)
 * or the bytes of a multipart file part.
 *
 * @param param the request field it came from, for error messages ({@code image}, {@code images[2]}, {@code mask})
 */
public record ImageRef(String reference, byte[] bytes, String param) {

  public static ImageRef ofReference(String reference, String param) { return new ImageRef(reference, null, param); }

  public static ImageRef ofBytes(byte[] bytes, String param) { return new ImageRef(null, bytes, param); }
}
