package io.imagegate.image;

import io.imagegate.api.ApiException;

/**
 * What an edit's mask must be, as OpenAI requires it: a PNG with an alpha channel (its fully transparent
 * pixels mark where the first image is edited), of the first image's width and height. Checked from the
 * headers, before anything is sent upstream.
 */
public final class MaskRule {
  private MaskRule() {}

  /**
   * @throws ApiException 400 {@code invalid_image} on {@code mask}, saying what to send instead
   */
  public static void check(ImageInfo mask, ImageInfo firstImage) {
    if (mask.format() != ImageFormat.PNG) {
      throw ApiException.invalidImage("mask", "The mask is a " + mask.format().name() + " image; send a PNG with an"
          + " alpha channel, whose fully transparent pixels mark where the image is edited.");
    }
    if (!mask.hasAlpha()) {
      throw ApiException.invalidImage("mask", "The mask PNG has no alpha channel; send a PNG with an alpha channel"
          + " (RGBA, grey with alpha, or a tRNS chunk), whose fully transparent pixels mark where the image is edited.");
    }
    if (mask.width() != firstImage.width() || mask.height() != firstImage.height()) {
      throw ApiException.invalidImage("mask", "The mask is " + mask.width() + "x" + mask.height()
          + " but the first image is " + firstImage.width() + "x" + firstImage.height()
          + "; send a mask of the first image's dimensions.");
    }
  }
}
