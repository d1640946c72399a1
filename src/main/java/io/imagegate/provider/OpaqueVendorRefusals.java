package io.imagegate.provider;

import io.imagegate.api.ApiException;
import io.imagegate.api.Background;
import io.imagegate.api.ImageOptions;

/**
 * The refusals shared by the vendors that edit by instruction and draw opaque images with no quality or
 * moderation levels of their own (Gemini, Seedream, FLUX): a {@code mask}, a transparent background,
 * {@code partial_images}, a {@code quality} or {@code moderation} other than {@code auto}. Each a 400 on its
 * field, before any call.
 */
public final class OpaqueVendorRefusals {
  private OpaqueVendorRefusals() {}

  /**
   * The first of these the job asks for, or null.
   *
   * @param where how the message names the deployment (" by the Gemini deployment g1")
   * @param vendor the model family's name in messages ("Gemini")
   * @param qualityHint what to say instead of a quality level ("the size decides the detail")
   */
  public static ApiException of(ImageJob job, String where, String vendor, String qualityHint) {
    ImageOptions o = job.options();
    if (job.mask() != null) {
      return ApiException.invalidValue("mask", "A 'mask' is not supported" + where + ": " + vendor + " edits by"
          + " instruction; remove the mask and say in the prompt what to change.");
    }
    if (o.background() == Background.TRANSPARENT) {
      return ApiException.invalidValue("background", "A transparent background is not supported" + where
          + "; " + vendor + " draws opaque images (use 'opaque' or 'auto').");
    }
    if (o.partialImages() > 0) {
      return ApiException.invalidValue("partial_images", "Partial images are not supported" + where
          + "; remove 'partial_images' (stream: true alone sends each image once drawn).");
    }
    if (o.sent().quality() != null && !o.sent().quality().equals("auto")) {
      return ApiException.invalidValue("quality", "'quality' " + o.sent().quality() + " is not supported" + where
          + "; " + qualityHint + ": use 'auto' or remove it.");
    }
    if (o.sent().moderation() != null && !o.sent().moderation().equals("auto")) {
      return ApiException.invalidValue("moderation", "'moderation' " + o.sent().moderation() + " is not supported"
          + where + "; " + vendor + "'s safety filters are its own: remove it.");
    }
    return null;
  }
}
