package io.imagegate.image;

/**
 * An input image whose format and dimensions were checked from its header against the limits; not
 * yet decoded (see {@link ImageDecoder}). The array is shared, not copied: treat it as read-only.
 */
public record InputImage(byte[] bytes, ImageInfo info) {}
