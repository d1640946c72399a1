package io.imagegate.image;

import io.imagegate.api.ApiException;
import java.util.Arrays;

/**
 * Decodes base64 straight out of a region of the request string: standard or URL-safe alphabet,
 * optional padding, whitespace and line breaks anywhere. Two passes over the characters (count,
 * then decode into an exactly sized array), so no cleaned-up copy of a large input is ever made.
 */
final class Base64Text {
  private static final int[] VALUES = new int[128];

  static {
    Arrays.fill(VALUES, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = i;
    }
    VALUES['+'] = 62;
    VALUES['-'] = 62;
    VALUES['/'] = 63;
    VALUES['_'] = 63;
  }

  private Base64Text() {}

  /**
   * The bytes encoded by {@code text[from, to)}.
   *
   * @throws ApiException {@code invalid_image} when it is not base64, decodes to nothing, or to more
   *     than {@code maxBytes} (refused before allocating)
   */
  static byte[] decode(String text, int from, int to, long maxBytes, String param) {
    int symbols = 0;
    int padding = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (isSpace(c)) {
        continue;
      }
      if (c == '=') {
        padding++;
      } else if (padding > 0 || value(c) < 0) {
        throw notBase64(param); // data after padding, or outside both alphabets
      } else {
        symbols++;
      }
    }
    if (padding > 2 || symbols % 4 == 1 || (padding > 0 && (symbols + padding) % 4 != 0)) {
      throw notBase64(param);
    }
    long size = symbols / 4 * 3L + Math.max(0, symbols % 4 - 1);
    if (size == 0) {
      throw ApiException.invalidImage(param, "The image is empty; send png, jpeg or webp bytes.");
    }
    if (size > maxBytes) {
      throw ImageSourceResolver.tooLarge(param, size, maxBytes);
    }
    byte[] out = new byte[(int) size];
    int o = 0;
    int acc = 0;
    int n = 0;
    for (int i = from; i < to && o < out.length; i++) {
      char c = text.charAt(i);
      if (isSpace(c) || c == '=') {
        continue;
      }
      acc = (acc << 6) | value(c);
      if (++n == 4) {
        out[o++] = (byte) (acc >> 16);
        out[o++] = (byte) (acc >> 8);
        out[o++] = (byte) acc;
        acc = 0;
        n = 0;
      }
    }
    if (n == 2) {
      out[o] = (byte) (acc >> 4);
    } else if (n == 3) {
      out[o++] = (byte) (acc >> 10);
      out[o] = (byte) (acc >> 2);
    }
    return out;
  }

  private static int value(char c) { return c < 128 ? VALUES[c] : -1; }

  private static boolean isSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'; }

  private static ApiException notBase64(String param) {
    return ApiException.invalidImage(param, "The image is not valid base64; send base64 bytes, a "
        + "data:image/png;base64,... URL or an http(s) URL.");
  }
}
