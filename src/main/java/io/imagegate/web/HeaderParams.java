package io.imagegate.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * The parameters of a header value such as {@code multipart/form-data; boundary="x"} or {@code form-data;
 * name="image[]"; filename="a.png"}: names are case-insensitive, values are tokens or quoted strings with
 * backslash escapes (RFC 9110 §5.6.6), and {@code filename*} is the RFC 8187 form.
 */
final class HeaderParams {
  private HeaderParams() {}

  /** The value of parameter {@code name}, or null when the header has none. */
  static String param(String header, String name) {
    if (header == null) return null;
    int i = header.indexOf(';');
    while (i >= 0 && i < header.length()) {
      i++; // past the ';'
      while (i < header.length() && (header.charAt(i) == ' ' || header.charAt(i) == '\t')) i++;
      int eq = header.indexOf('=', i);
      int semi = header.indexOf(';', i);
      if (eq < 0) return null;
      if (semi >= 0 && semi < eq) {
        i = semi;
        continue;
      }
      String key = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      int v = eq + 1;
      while (v < header.length() && (header.charAt(v) == ' ' || header.charAt(v) == '\t')) v++;
      String value;
      int next;
      if (v < header.length() && header.charAt(v) == '"') {
        StringBuilder out = new StringBuilder();
        int k = v + 1;
        while (k < header.length() && header.charAt(k) != '"') {
          char c = header.charAt(k);
          if (c == '\\' && k + 1 < header.length()) c = header.charAt(++k);
          out.append(c);
          k++;
        }
        value = out.toString();
        next = header.indexOf(';', Math.min(k + 1, header.length()));
      } else {
        next = header.indexOf(';', v);
        value = header.substring(v, next < 0 ? header.length() : next).trim();
      }
      if (key.equals(name)) return value;
      i = next;
    }
    return null;
  }

  /** A part's file name: {@code filename*} (RFC 8187) when given and readable, else {@code filename}. */
  static String fileName(String disposition) {
    String extended = param(disposition, "filename*");
    if (extended != null) {
      String decoded = extended(extended);
      if (decoded != null) return decoded;
    }
    return param(disposition, "filename");
  }

  /** {@code charset'language'percent-encoded} decoded, or null when it is not of that form. */
  private static String extended(String value) {
    int a = value.indexOf('\'');
    int b = a < 0 ? -1 : value.indexOf('\'', a + 1);
    if (b < 0) return null;
    Charset charset;
    try {
      charset = Charset.forName(value.substring(0, a));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      charset = StandardCharsets.UTF_8;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = b + 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        int hi = hex(value.charAt(i + 1));
        int lo = hex(value.charAt(i + 2));
        if (hi < 0 || lo < 0) return null;
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c == '%') {
        return null;
      } else {
        out.write(c);
      }
    }
    return out.toString(charset);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
}
