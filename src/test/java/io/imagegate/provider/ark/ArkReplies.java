package io.imagegate.provider.ark;

import io.imagegate.testing.UpstreamReplies;
import java.util.Base64;
import okhttp3.mockwebserver.MockResponse;

/** Canned answers of ModelArk's {@code /api/v3/images/generations}, in its own wire shape. */
final class ArkReplies {
  private ArkReplies() {}

  /** One image as base64 with its size, and Seedream's usage: one image, w·h/256 output tokens. */
  static MockResponse image(byte[] jpeg, int width, int height) {
    long tokens = (long) width * height / 256;
    return UpstreamReplies.json(200, """
        {"model":"doubao-seedream-4-5-251128","created":1757323224,
         "data":[{"b64_json":"%s","size":"%dx%d"}],
         "usage":{"generated_images":1,"output_tokens":%d,"total_tokens":%d}}"""
        .formatted(Base64.getEncoder().encodeToString(jpeg), width, height, tokens, tokens));
  }

  /** A 200 whose one image failed on its own, with Ark's per-image error. */
  static MockResponse imageError(String code, String message) {
    return UpstreamReplies.json(200, """
        {"model":"doubao-seedream-4-5-251128","created":1757323224,
         "data":[{"error":{"code":"%s","message":"%s"}}],
         "usage":{"generated_images":0,"output_tokens":0,"total_tokens":0}}""".formatted(code, message));
  }

  /** Ark's error object. */
  static MockResponse error(int status, String code, String message) {
    return UpstreamReplies.json(status, """
        {"error":{"code":"%s","message":"%s","param":"","type":"BadRequest"}}""".formatted(code, message));
  }
}
