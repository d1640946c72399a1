package io.imagegate.image;

/**
 * What the header of an input image says, read without decoding it.
 *
 * @param hasAlpha whether the encoding declares an alpha channel or transparency (PNG colour type
 *     or tRNS chunk, WebP alpha flag); JPEG never has one
 */
public record ImageInfo(ImageFormat format, int width, int height, boolean hasAlpha) {

  /** Width times height, as a long so that header values cannot overflow it. */
  public long pixels() { return (long) width * height; }
}
