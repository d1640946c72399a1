package io.imagegate.web;

import static io.imagegate.web.HostileRequests.B;
import static io.imagegate.web.HostileRequests.EDIT;
import static io.imagegate.web.HostileRequests.FORM;
import static io.imagegate.web.HostileRequests.GEN;
import static io.imagegate.web.HostileRequests.KEY;
import static io.imagegate.web.HostileRequests.ascii;
import static io.imagegate.web.HostileRequests.b64;
import static io.imagegate.web.HostileRequests.chunked;
import static io.imagegate.web.HostileRequests.close;
import static io.imagegate.web.HostileRequests.concat;
import static io.imagegate.web.HostileRequests.filePart;
import static io.imagegate.web.HostileRequests.form;
import static io.imagegate.web.HostileRequests.json;
import static io.imagegate.web.HostileRequests.png;
import static io.imagegate.web.HostileRequests.post;
import static io.imagegate.web.HostileRequests.request;
import static io.imagegate.web.HostileRequests.rgb;
import static io.imagegate.web.HostileRequests.textPart;

import io.imagegate.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of {@link HostileInputsIT}: each case a raw request and what must come back, by class of input
 * (field values, encodings, content types, multipart shapes, headers, paths, methods, bodies, keys).
 */
final class HostileCases {
  /** A sentinel for an expected JSON null. */
  static final String NULL = "(null)";

  private HostileCases() {}

  /**
   * @param status the expected status
   * @param param the expected {@code param} ({@link #NULL} for JSON null), or null when the status is not an error
   * @param code the expected {@code code} ({@link #NULL} for JSON null)
   */
  record Case(String group, String name, byte[] request, int status, String param, String code) {
    @Override
    public String toString() { return group + ": " + name; }
  }

  static List<Case> all() {
    List<Case> all = new ArrayList<>();
    fieldValues(all);
    encodings(all);
    contentTypes(all);
    multipartShapes(all);
    headers(all);
    paths(all);
    methods(all);
    bodies(all);
    keys(all);
    return all;
  }

  private static void fieldValues(List<Case> all) {
    String g = "field values";
    String v = "invalid_value";
    Object[][] table = {
        {"quality a number", "{\"prompt\":\"x\",\"quality\":5}", "quality", v},
        {"quality empty", "{\"prompt\":\"x\",\"quality\":\"\"}", "quality", v},
        {"quality in capitals", "{\"prompt\":\"x\",\"quality\":\"HIGH\"}", "quality", v},
        {"quality of dall-e-3", "{\"prompt\":\"x\",\"quality\":\"hd\"}", "quality", v},
        {"background an array", "{\"prompt\":\"x\",\"background\":[]}", "background", v},
        {"output format in capitals", "{\"prompt\":\"x\",\"output_format\":\"PNG\"}", "output_format", v},
        {"output format bmp", "{\"prompt\":\"x\",\"output_format\":\"bmp\"}", "output_format", v},
        {"compression negative", "{\"prompt\":\"x\",\"output_format\":\"jpeg\",\"output_compression\":-1}", "output_compression", v},
        {"compression a string", "{\"prompt\":\"x\",\"output_format\":\"jpeg\",\"output_compression\":\"50\"}", "output_compression", v},
        {"compression a fraction", "{\"prompt\":\"x\",\"output_format\":\"jpeg\",\"output_compression\":50.5}", "output_compression", v},
        {"n negative", "{\"prompt\":\"x\",\"n\":-1}", "n", v},
        {"n a thousand", "{\"prompt\":\"x\",\"n\":1e3}", "n", v},
        {"n past int", "{\"prompt\":\"x\",\"n\":2147483648}", "n", v},
        {"n past double", "{\"prompt\":\"x\",\"n\":1e400}", "n", v},
        {"n true", "{\"prompt\":\"x\",\"n\":true}", "n", v},
        {"n an object", "{\"prompt\":\"x\",\"n\":{}}", "n", v},
        {"size empty", "{\"prompt\":\"x\",\"size\":\"\"}", "size", v},
        {"size without height", "{\"prompt\":\"x\",\"size\":\"1024x\"}", "size", v},
        {"size without width", "{\"prompt\":\"x\",\"size\":\"x1024\"}", "size", v},
        {"size of three sides", "{\"prompt\":\"x\",\"size\":\"1024x1024x1024\"}", "size", v},
        {"size negative", "{\"prompt\":\"x\",\"size\":\"-1024x1024\"}", "size", v},
        {"size with a multiplication sign", "{\"prompt\":\"x\",\"size\":\"1024\u00d71024\"}", "size", v},
        {"size a number", "{\"prompt\":\"x\",\"size\":1024}", "size", v},
        {"size past int", "{\"prompt\":\"x\",\"size\":\"99999999999x1024\"}", "size", v},
        {"size zero", "{\"prompt\":\"x\",\"size\":\"0x0\"}", "size", v},
        {"size with a line break", "{\"prompt\":\"x\",\"size\":\"1024x1024\\n\"}", "size", v},
        {"size with a plus", "{\"prompt\":\"x\",\"size\":\"+1024x1024\"}", "size", v},
        {"prompt an array", "{\"prompt\":[\"a\"]}", "prompt", v},
        {"prompt an object", "{\"prompt\":{\"text\":\"a\"}}", "prompt", v},
        {"prompt true", "{\"prompt\":true}", "prompt", v},
        {"prompt only line breaks", "{\"prompt\":\"\\n\\r\\t\"}", "prompt", v},
        {"model an array", "{\"model\":[\"gpt-image-2\"],\"prompt\":\"x\"}", "model", v},
        {"model in capitals", "{\"model\":\"GPT-IMAGE-2\",\"prompt\":\"x\"}", "model", "model_not_found"},
        {"model with a trailing space", "{\"model\":\"gpt-image-2 \",\"prompt\":\"x\"}", "model", "model_not_found"},
        {"model with a NUL", "{\"model\":\"gpt-image-2\\u0000\",\"prompt\":\"x\"}", "model", "model_not_found"},
        {"model a path", "{\"model\":\"../../etc/passwd\",\"prompt\":\"x\"}", "model", "model_not_found"},
        {"stream a number", "{\"prompt\":\"x\",\"stream\":1}", "stream", v},
        {"stream a string", "{\"prompt\":\"x\",\"stream\":\"true\"}", "stream", v},
        {"partial images a string", "{\"prompt\":\"x\",\"stream\":true,\"partial_images\":\"2\"}", "partial_images", v},
        {"partial images negative", "{\"prompt\":\"x\",\"stream\":true,\"partial_images\":-1}", "partial_images", v},
        {"moderation empty", "{\"prompt\":\"x\",\"moderation\":\"\"}", "moderation", v},
        {"response format empty", "{\"prompt\":\"x\",\"response_format\":\"\"}", "response_format", v},
        {"user a number", "{\"prompt\":\"x\",\"user\":5}", "user", v},
        {"style natural", "{\"prompt\":\"x\",\"style\":\"natural\"}", "style", v},
        {"a capitalised field (an unknown one, and no prompt)", "{\"Prompt\":\"x\"}", "prompt", "missing_required_parameter"},
    };
    for (Object[] row : table) {
      int status = row[3].equals("model_not_found") ? 404 : 400;
      all.add(new Case(g, (String) row[0], json(GEN, (String) row[1]), status, (String) row[2], (String) row[3]));
    }
    // unknown top-level fields go to the upstream (OpenAI adds fields over time)
    all.add(new Case(g, "an unknown field", json(GEN, "{\"prompt\":\"x\",\"quality\":\"low\",\"seed\":42}"), 200, null, null));
    all.add(new Case(g, "input fidelity unknown", json(EDIT, "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"image\":\""
        + b64(png(64, 64)) + "\",\"input_fidelity\":\"max\"}"), 400, "input_fidelity", v));
    // the JSON itself
    Object[][] json = {
        {"a duplicate member", "{\"prompt\":\"a cat\",\"prompt\":\"a dog\"}"},
        {"trailing tokens", "{\"prompt\":\"x\"} {}"},
        {"a comment", "{/* c */\"prompt\":\"x\"}"},
        {"single quotes", "{'prompt':'x'}"},
        {"NaN", "{\"prompt\":\"x\",\"n\":NaN}"},
        {"an unquoted name", "{prompt:\"x\"}"},
        {"a trailing comma", "{\"prompt\":\"x\",}"},
        {"a raw line break in a string", "{\"prompt\":\"a\nb\"}"},
        {"a bad escape", "{\"prompt\":\"a\\qb\"}"},
        {"nesting 2,000 deep", "{\"prompt\":\"x\",\"extra\":" + "[".repeat(2000) + "]".repeat(2000) + "}"},
        {"a number 2,000 digits long", "{\"prompt\":\"x\",\"n\":" + "9".repeat(2000) + "}"},
    };
    for (Object[] row : json) all.add(new Case(g, "JSON: " + row[0], json(GEN, (String) row[1]), 400, NULL, NULL));
    for (String notAnObject : new String[] {"null", "\"a cat\"", "42", "[{\"prompt\":\"x\"}]", "true"}) {
      all.add(new Case(g, "JSON: not an object: " + notAnObject, json(GEN, notAnObject), 400, NULL, v));
    }
    all.add(new Case(g, "JSON: an empty object", json(GEN, "{}"), 400, "prompt", "missing_required_parameter"));
  }

  private static void encodings(List<Case> all) {
    String g = "encodings";
    byte[][] bad = {
        {(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xe9}};
    String[] names = {"byte FF", "overlong slash", "overlong 3-byte slash", "encoded surrogate", "past U+10FFFF",
        "truncated sequence", "lone continuation byte", "5-byte form", "Latin-1 e-acute"};
    for (int i = 0; i < bad.length; i++) {
      all.add(new Case(g, "JSON prompt with " + names[i], post(GEN, "application/json",
          concat(ascii("{\"prompt\":\"a "), bad[i], ascii(" cat\"}"))), 400, NULL, NULL));
    }
    for (int i = 0; i < 4; i++) {
      all.add(new Case(g, "form prompt with " + names[i], post(EDIT, FORM, form(
          textPart("prompt", concat(ascii("a "), bad[i])), filePart("image[]", "a.png", "image/png", png(64, 64)))),
          400, "prompt", "invalid_value"));
    }
    all.add(new Case(g, "form header with invalid UTF-8", post(EDIT, FORM, concat(ascii("--" + B
        + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a"), new byte[] {(byte) 0xc0, (byte) 0xaf},
        ascii(".png\"\r\n\r\nPNG\r\n--" + B + "--\r\n"))), 400, NULL, "invalid_multipart"));
    all.add(new Case(g, "escaped lone high surrogate", json(GEN, "{\"prompt\":\"a \\ud800 cat\"}"), 400, "prompt", "invalid_value"));
    all.add(new Case(g, "escaped lone low surrogate", json(GEN, "{\"prompt\":\"a \\udc00\"}"), 400, "prompt", "invalid_value"));
    all.add(new Case(g, "escaped surrogates reversed", json(GEN, "{\"prompt\":\"\\udc00\\ud800\"}"), 400, "prompt", "invalid_value"));
    all.add(new Case(g, "lone surrogate in user", json(GEN, "{\"prompt\":\"x\",\"user\":\"\\ud800\"}"), 400, "user", "invalid_value"));
    all.add(new Case(g, "lone surrogate in a member name", json(GEN, "{\"prompt\":\"x\",\"\\ud800\":1}"), 400, NULL, "invalid_value"));
    all.add(new Case(g, "UTF-16 with a byte-order mark", post(GEN, "application/json",
        "\ufeff{\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_16LE)), 400, NULL, NULL));
    all.add(new Case(g, "UTF-32", post(GEN, "application/json", "{\"prompt\":\"x\"}".getBytes(java.nio.charset.Charset.forName("UTF-32"))),
        400, NULL, NULL));
  }

  private static void contentTypes(List<Case> all) {
    String g = "content types";
    String u = "unsupported_media_type";
    byte[] body = ascii("{\"prompt\":\"x\"}");
    all.add(new Case(g, "none", request("POST", GEN, "", body), 415, NULL, u));
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", "text/json",
        "application/ld+json", "application/json, text/plain", "json", "*/*", "application/*"}) {
      all.add(new Case(g, type, post(GEN, type, body), 415, NULL, u));
    }
    all.add(new Case(g, "an empty value", request("POST", GEN, "Content-Type: \r\n", body), 415, NULL, u));
    all.add(new Case(g, "multipart to generations", post(GEN, FORM, form(textPart("prompt", ascii("x")))), 415, NULL, u));
    all.add(new Case(g, "multipart/mixed to edits", post(EDIT, "multipart/mixed; boundary=" + B,
        form(textPart("prompt", ascii("x")))), 415, NULL, u));
    all.add(new Case(g, "multipart without a boundary", post(EDIT, "multipart/form-data", form(textPart("prompt", ascii("x")))),
        400, NULL, "invalid_multipart"));
    all.add(new Case(g, "a boundary of 71 characters", post(EDIT, "multipart/form-data; boundary=" + "b".repeat(71),
        form(textPart("prompt", ascii("x")))), 400, NULL, "invalid_multipart"));
    all.add(new Case(g, "a boundary with a control character", post(EDIT, "multipart/form-data; boundary=\"a\u0001b\"",
        form(textPart("prompt", ascii("x")))), 400, NULL, "malformed_request"));
    all.add(new Case(g, "a boundary with a non-ASCII character", post(EDIT, "multipart/form-data; boundary=\"a\u00e9b\"",
        form(textPart("prompt", ascii("x")))), 400, NULL, "invalid_multipart"));
    all.add(new Case(g, "another boundary than the body's", post(EDIT, "multipart/form-data; boundary=other",
        form(textPart("prompt", ascii("x")))), 400, NULL, "invalid_multipart"));
  }

  private static void multipartShapes(List<Case> all) {
    String g = "multipart shapes";
    String m = "invalid_multipart";
    byte[] image = png(64, 64);
    byte[] prompt = textPart("prompt", ascii("a red hat"));
    byte[] img = filePart("image[]", "a.png", "image/png", image);
    Object[][] malformed = {
        {"no closing boundary", concat(prompt, img)},
        {"no boundary at all", ascii("just some bytes\r\n")},
        {"a part without a name", concat(ascii("--" + B + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n"), close())},
        {"an attachment part", concat(ascii("--" + B + "\r\nContent-Disposition: attachment; name=\"prompt\"\r\n\r\nx\r\n"), close())},
        {"a part without headers", concat(ascii("--" + B + "\r\n\r\nx\r\n"), close())},
        {"a header line over 8 KiB", concat(ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\nX-Pad: "
            + "p".repeat(9000) + "\r\n\r\nx\r\n"), close())},
        {"17 header lines", concat(ascii("--" + B + "\r\n" + "X-A: 1\r\n".repeat(16)
            + "Content-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n"), close())},
        {"65 parts", concat(ascii(("--" + B + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n").repeat(65)), close())},
        {"garbage after a boundary", concat(ascii("--" + B + "garbage\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n"), close())},
        {"a header line without a colon", concat(ascii("--" + B + "\r\nContent-Disposition form-data\r\n\r\nx\r\n"), close())},
        {"ends after a boundary line", ascii("--" + B + "\r\n")},
        {"ends inside a part's headers", ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"prompt\"")},
    };
    for (Object[] row : malformed) all.add(new Case(g, (String) row[0], post(EDIT, FORM, (byte[]) row[1]), 400, NULL, m));
    all.add(new Case(g, "no parts", post(EDIT, FORM, close()), 400, "prompt", "missing_required_parameter"));
    all.add(new Case(g, "no prompt", post(EDIT, FORM, form(img)), 400, "prompt", "missing_required_parameter"));
    all.add(new Case(g, "no image", post(EDIT, FORM, form(prompt)), 400, "image", "missing_required_parameter"));
    String bad = "invalid_image";
    all.add(new Case(g, "an image file of text", post(EDIT, FORM, form(prompt, filePart("image[]", "a.png", "image/png",
        ascii("hello")))), 400, "image", bad));
    all.add(new Case(g, "a truncated PNG", post(EDIT, FORM, form(prompt, filePart("image[]", "a.png", "image/png",
        java.util.Arrays.copyOf(image, 30)))), 400, "image", bad));
    all.add(new Case(g, "a GIF", post(EDIT, FORM, form(prompt, filePart("image[]", "a.gif", "image/gif",
        ascii("GIF89a\u0001\u0000\u0001\u0000")))), 400, "image", bad));
    all.add(new Case(g, "an empty image file", post(EDIT, FORM, form(prompt, filePart("image[]", "a.png", "image/png",
        new byte[0]))), 400, "image", bad));
    all.add(new Case(g, "a text reference that is not base64", post(EDIT, FORM, form(prompt, textPart("image",
        ascii("%%% not base64 %%%")))), 400, "image", bad));
    all.add(new Case(g, "a mask without an image", post(EDIT, FORM, form(prompt, filePart("mask", "m.png", "image/png",
        image))), 400, "image", "missing_required_parameter"));
    all.add(new Case(g, "an RGB mask", post(EDIT, FORM, form(prompt, img, filePart("mask", "m.png", "image/png",
        TestImages.encode(rgb(64, 64), "png")))), 400, "mask", bad));
    all.add(new Case(g, "a JPEG mask", post(EDIT, FORM, form(prompt, img, filePart("mask", "m.jpg", "image/jpeg",
        TestImages.encode(rgb(64, 64), "jpeg")))), 400, "mask", bad));
    all.add(new Case(g, "a mask of other dimensions", post(EDIT, FORM, form(prompt, img, filePart("mask", "m.png",
        "image/png", png(64, 32)))), 400, "mask", bad));
    byte[][] seventeen = new byte[18][];
    seventeen[0] = prompt;
    for (int i = 1; i < 18; i++) seventeen[i] = img;
    all.add(new Case(g, "17 images", post(EDIT, FORM, form(seventeen)), 400, "image", "invalid_value"));
    all.add(new Case(g, "a file in an unknown field", post(EDIT, FORM, form(prompt, img, filePart("file", "a.png",
        "image/png", image))), 400, "file", "unknown_parameter"));
    all.add(new Case(g, "the prompt as a file", post(EDIT, FORM, form(filePart("prompt", "p.txt", "text/plain",
        ascii("x")), img)), 400, "prompt", "unknown_parameter"));
    all.add(new Case(g, "a prompt over 1 MB", post(EDIT, FORM, form(textPart("prompt", ascii("p".repeat(1024 * 1024 + 1))),
        img)), 400, "prompt", "invalid_value"));
    all.add(new Case(g, "n not a number", post(EDIT, FORM, form(prompt, img, textPart("n", ascii("abc")))), 400, "n", "invalid_value"));
    all.add(new Case(g, "n empty", post(EDIT, FORM, form(prompt, img, textPart("n", new byte[0]))), 400, "n", "invalid_value"));
    all.add(new Case(g, "size with a capital X", post(EDIT, FORM, form(prompt, img, textPart("size", ascii("1024X1024")))),
        400, "size", "invalid_value"));
    all.add(new Case(g, "an empty model", post(EDIT, FORM, form(prompt, img, textPart("model", new byte[0]))), 400,
        "model", "invalid_value"));
    all.add(new Case(g, "an unknown text field (passed on)", post(EDIT, FORM, form(prompt, img, textPart("quality",
        ascii("low")), textPart("seed", ascii("1")))), 200, null, null));
    all.add(new Case(g, "stream not a boolean", post(EDIT, FORM, form(prompt, img, textPart("stream", ascii("maybe")))),
        400, "stream", "invalid_value"));
  }

  private static void headers(List<Case> all) {
    String g = "headers";
    String big = "request_headers_too_large";
    String malformed = "malformed_request";
    String[][] table = {
        {"a 10 KB key", "Authorization: Bearer sk-" + "a".repeat(10_000) + "\r\n"},
        {"a 16 KB header", "X-Big: " + "b".repeat(16_000) + "\r\n"},
        {"a 100 KB header", "X-Big: " + "b".repeat(100_000) + "\r\n"},
        {"2,000 headers", "X-H: v\r\n".repeat(2000)},
        {"a 9 KB content type", "Content-Type: application/" + "j".repeat(9000) + "\r\n"},
    };
    for (String[] row : table) {
      all.add(new Case(g, row[0], ascii("POST " + GEN + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + row[1]
          + "Content-Length: 2\r\n\r\n{}"), 431, NULL, big));
    }
    String[][] bad = {
        {"a header without a colon", "X-Broken\r\n"},
        {"a folded header line", "X-A: one\r\n two\r\n"},
        {"a space in a header name", "X Bad: 1\r\n"},
        {"a NUL in a header value", "X-A: a\u0000b\r\n"},
        {"a header name of non-ASCII", "X-\u00e9: 1\r\n"},
    };
    for (String[] row : bad) {
      all.add(new Case(g, row[0], ascii("POST " + GEN + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + row[1]
          + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"), 400, NULL, malformed));
    }
    all.add(new Case(g, "no Host", ascii("GET /v1/models HTTP/1.1\r\nConnection: close\r\nAuthorization: Bearer " + KEY
        + "\r\n\r\n"), 400, NULL, malformed));
  }

  private static void paths(List<Case> all) {
    String g = "paths";
    String notFound = NULL; // as OpenAI: "Invalid URL", no code
    Object[][] table = {
        {"an unknown route", "GET", "/v1/nothing-here", 404, NULL, notFound},
        {"below a route", "POST", GEN + "/extra", 404, NULL, notFound},
        {"a route in capitals", "POST", "/V1/IMAGES/GENERATIONS", 404, NULL, notFound},
        {"an encoded NUL", "GET", "/v1/%00models", 400, NULL, "malformed_request"},
        {"an overlong encoded slash", "GET", "/v1/%C0%AFmodels", 400, NULL, "malformed_request"},
        {"an encoded slash (one segment, no route)", "POST", "/v1/images%2Fgenerations", 404, NULL, notFound},
        {"an encoded dot-dot (a segment, no route)", "GET", "/v1/images/%2e%2e/models", 404, NULL, notFound},
        {"a dot-dot above the root", "GET", "/../../etc/passwd", 400, NULL, "malformed_request"},
        {"a 9 KB path", "GET", "/v1/" + "a".repeat(9000), 414, NULL, "url_too_long"},
        {"a 9 KB query", "GET", "/v1/models?q=" + "a".repeat(9000), 414, NULL, "url_too_long"},
        {"a raw NUL", "GET", "/v1/mo\u0000dels", 400, NULL, "malformed_request"},
        {"a space in the path", "GET", "/v1/mo dels", 400, NULL, "malformed_request"},
        {"a bad percent escape", "GET", "/v1/%zzmodels", 400, NULL, "malformed_request"},
    };
    for (Object[] row : table) {
      all.add(new Case(g, (String) row[0], request((String) row[1], (String) row[2], "Content-Type: application/json\r\n",
          ascii("{}")), (int) row[3], (String) row[4], (String) row[5]));
    }
    all.add(new Case(g, "HTTP/3.0", ascii("GET /health HTTP/3.0\r\nHost: x\r\n\r\n"), 505, NULL, NULL));
    all.add(new Case(g, "HTTP/0.9 style", ascii("GET /health\r\n\r\n"), 505, NULL, NULL));
    all.add(new Case(g, "garbage request line", ascii("\u0001\u0002\u0003 / HTTP/1.1\r\nHost: x\r\n\r\n"), 400, NULL,
        "malformed_request"));
  }

  private static void methods(List<Case> all) {
    String g = "methods";
    String m = "method_not_allowed";
    for (String method : new String[] {"GET", "PUT", "DELETE", "PATCH"}) {
      all.add(new Case(g, method + " on generations", request(method, GEN, "", null), 405, NULL, m));
    }
    all.add(new Case(g, "HEAD on generations (no body)", request("HEAD", GEN, "", null), 405, null, null));
    all.add(new Case(g, "POST on models", request("POST", "/v1/models", "Content-Type: application/json\r\n", ascii("{}")),
        405, NULL, m));
    all.add(new Case(g, "DELETE on health", request("DELETE", "/health", "", null), 405, NULL, m));
    all.add(new Case(g, "PUT on edits", request("PUT", EDIT, "Content-Type: application/json\r\n", ascii("{}")), 405, NULL, m));
    all.add(new Case(g, "OPTIONS without a key", ascii("OPTIONS " + GEN + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        204, null, null));
  }

  private static void bodies(List<Case> all) {
    String g = "bodies";
    String tooLarge = "request_too_large";
    String malformed = "malformed_request";
    byte[] big = concat(ascii("{\"prompt\":\"x\",\"image\":\""), ascii("A".repeat(3 * 1024 * 1024)), ascii("\"}"));
    all.add(new Case(g, "3 MB with a length", post(GEN, "application/json", big), 413, NULL, tooLarge));
    all.add(new Case(g, "3 MB chunked JSON", chunked(GEN, "application/json", big), 413, NULL, tooLarge));
    byte[] form = form(textPart("prompt", ascii("x")), filePart("image[]", "a.png", "image/png", new byte[3 * 1024 * 1024]));
    all.add(new Case(g, "3 MB multipart with a length", post(EDIT, FORM, form), 413, NULL, tooLarge));
    all.add(new Case(g, "3 MB chunked multipart", chunked(EDIT, FORM, form), 413, NULL, tooLarge));
    all.add(new Case(g, "an empty body", post(GEN, "application/json", new byte[0]), 400, NULL, NULL));
    all.add(new Case(g, "a blank body", post(GEN, "application/json", ascii("  \r\n ")), 400, NULL, NULL));
    String head = "POST " + GEN + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + KEY
        + "\r\nContent-Type: application/json\r\n";
    String body = "{\"prompt\":\"x\"}";
    Object[][] framing = {
        {"a negative length", "Content-Length: -1\r\n\r\n" + body},
        {"a length that is not a number", "Content-Length: abc\r\n\r\n" + body},
        {"two different lengths", "Content-Length: 14\r\nContent-Length: 15\r\n\r\n" + body},
        {"a length and chunked", "Content-Length: 14\r\nTransfer-Encoding: chunked\r\n\r\ne\r\n" + body + "\r\n0\r\n\r\n"},
        {"a chunk size that is not hex", "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n"},
        {"a length past long", "Content-Length: 99999999999999999999\r\n\r\n" + body},
    };
    for (Object[] row : framing) all.add(new Case(g, (String) row[0], ascii(head + row[1]), 400, NULL, malformed));
    all.add(new Case(g, "an unknown transfer coding", ascii(head + "Transfer-Encoding: gzip\r\n\r\n" + body), 400, NULL,
        malformed));
    for (String coding : new String[] {"gzip", "br", "deflate, gzip"}) {
      all.add(new Case(g, "a " + coding + " content encoding", ascii(head + "Content-Encoding: " + coding
          + "\r\nContent-Length: 14\r\n\r\n" + body), 415, NULL, "unsupported_media_type"));
    }
  }

  private static void keys(List<Case> all) {
    String g = "keys";
    String k = "invalid_api_key";
    byte[] body = ascii("{\"prompt\":\"x\"}");
    String[][] table = {
        {"no Authorization", null},
        {"Bearer and nothing", "Bearer"},
        {"Bearer and a space", "Bearer "},
        {"Basic credentials", "Basic dXNlcjpwYXNz"},
        {"a wrong key", "Bearer sk-wrong"},
        {"a 4 KB key", "Bearer sk-" + "k".repeat(4000)},
        {"a key with non-ASCII", "Bearer sk-\u00e9\u00e9"},
        {"the master key with a suffix", "Bearer " + KEY + "x"},
        {"the master key's prefix", "Bearer " + KEY.substring(0, KEY.length() - 1)},
    };
    for (String[] row : table) {
      String auth = row[1] == null ? "" : "Authorization: " + row[1] + "\r\n";
      all.add(new Case(g, row[0], ascii("POST " + GEN + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth
          + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + "{\"prompt\":\"x\"}"),
          401, NULL, k));
    }
  }
}
