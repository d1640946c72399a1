package io.imagegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.testing.Http;
import io.imagegate.testing.RunningGateway;
import io.imagegate.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the local engine answers over HTTP: formats, alpha, determinism, masks, multipart edits. */
class LocalEngineAnswersIT {
  private static RunningGateway gateway;

  @BeforeAll
  static void start() { gateway = RunningGateway.start(); }

  @AfterAll
  static void stop() { gateway.close(); }

  private static JsonNode generate(String body) {
    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY, body);
    assertThat(answer.status()).as(new String(answer.raw().body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return answer.json();
  }

  private static byte[] image(JsonNode answer, int index) {
    return Base64.getDecoder().decode(answer.get("data").get(index).get("b64_json").asText());
  }

  @Test
  void generate_samePromptTwice_givesTheSameBytes_andNImagesDiffer() {
    String body = "{\"prompt\":\"a red fox in a snowy forest\",\"size\":\"1024x1024\",\"quality\":\"low\",\"n\":3}";
    JsonNode first = generate(body);
    JsonNode again = generate(body);
    assertThat(first.get("data")).hasSize(3);
    assertThat(image(first, 0)).isEqualTo(image(again, 0));
    assertThat(image(first, 0)).isNotEqualTo(image(first, 1));
    assertThat(image(first, 1)).isNotEqualTo(image(first, 2));
  }

  @Test
  void generate_transparentPng_hasRealAlpha() {
    JsonNode answer = generate("{\"model\":\"gpt-image-1.5\",\"prompt\":\"a golden apple sticker\","
        + "\"background\":\"transparent\",\"quality\":\"low\"}");
    assertThat(answer.get("background").asText()).isEqualTo("transparent");
    BufferedImage img = TestImages.decode(image(answer, 0));
    assertThat(img.getColorModel().hasAlpha()).isTrue();
    boolean clear = false, solid = false;
    for (int y = 0; y < img.getHeight(); y += 8) {
      for (int x = 0; x < img.getWidth(); x += 8) {
        int alpha = img.getRGB(x, y) >>> 24;
        clear |= alpha == 0;
        solid |= alpha == 255;
      }
    }
    assertThat(clear).as("some fully transparent pixels").isTrue();
    assertThat(solid).as("some opaque pixels").isTrue();
  }

  @Test
  void generate_jpeg_honoursCompression() {
    String base = "{\"prompt\":\"a busy city street in the rain\",\"quality\":\"medium\",\"output_format\":\"jpeg\"";
    byte[] small = image(generate(base + ",\"output_compression\":10}"), 0);
    byte[] large = image(generate(base + ",\"output_compression\":95}"), 0);
    assertThat(small[0] & 0xff).isEqualTo(0xFF);
    assertThat(small[1] & 0xff).isEqualTo(0xD8);
    assertThat(small.length).isLessThan(large.length / 2);
    assertThat(TestImages.decode(small).getWidth()).isEqualTo(1024);
  }

  @Test
  void generate_webp_isARealWebpFile() {
    JsonNode answer = generate("{\"prompt\":\"a watercolor mountain lake\",\"output_format\":\"webp\",\"quality\":\"low\"}");
    byte[] webp = image(answer, 0);
    assertThat(new String(webp, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    assertThat(new String(webp, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");
    assertThat(answer.get("output_format").asText()).isEqualTo("webp");
    BufferedImage img = TestImages.decode(webp);
    assertThat(img.getWidth()).isEqualTo(1024);
  }

  @Test
  void generate_qualityChangesTheDrawingAndTheUsage() {
    JsonNode low = generate("{\"prompt\":\"stars over a desert at night\",\"quality\":\"low\"}");
    JsonNode high = generate("{\"prompt\":\"stars over a desert at night\",\"quality\":\"high\"}");
    assertThat(image(low, 0)).isNotEqualTo(image(high, 0));
    assertThat(low.at("/usage/output_tokens").asLong()).isEqualTo(196);
    assertThat(high.at("/usage/output_tokens").asLong()).isEqualTo(7024);
  }

  @Test
  void edit_withMask_keepsEveryPixelOutsideTheMasksTransparentArea() {
    BufferedImage input = TestImages.picture(1024, 1024);
    BufferedImage mask = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 1024; y++) {
      for (int x = 0; x < 1024; x++) mask.setRGB(x, y, x >= 512 && y >= 512 ? 0x00000000 : 0xFF000000);
    }
    String body = "{\"prompt\":\"turn it into a neon cyberpunk night\",\"size\":\"1024x1024\",\"quality\":\"low\","
        + "\"image\":\"data:image/png;base64," + b64(TestImages.encode(input, "png")) + "\","
        + "\"mask\":\"" + b64(TestImages.encode(mask, "png")) + "\"}";
    Http.Answer answer = Http.postJson(gateway.url("/v1/images/edits"), RunningGateway.MASTER_KEY, body);
    assertThat(answer.status()).isEqualTo(200);
    BufferedImage out = TestImages.decode(image(answer.json(), 0));
    int changedInside = 0;
    for (int y = 0; y < 1024; y += 3) {
      for (int x = 0; x < 1024; x += 3) {
        if (x >= 512 && y >= 512) {
          if (out.getRGB(x, y) != input.getRGB(x, y)) changedInside++;
        } else {
          assertThat(out.getRGB(x, y)).as("pixel %d,%d outside the mask's hole", x, y).isEqualTo(input.getRGB(x, y));
        }
      }
    }
    assertThat(changedInside).as("pixels restyled inside the hole").isGreaterThan(1000);
  }

  @Test
  void edit_multipartWithRepeatedImageParts_isAccepted() {
    String boundary = "----imagegate-test";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    part(body, boundary, "prompt", null, "make it sunset".getBytes());
    part(body, boundary, "size", null, "1536x1024".getBytes());
    part(body, boundary, "quality", null, "low".getBytes());
    part(body, boundary, "image[]", "a.png", TestImages.png(600, 400));
    part(body, boundary, "image[]", "b.jpg", TestImages.encode(toRgb(TestImages.picture(300, 300)), "jpeg"));
    body.writeBytes(("--" + boundary + "--\r\n").getBytes());
    Http.Answer answer = Http.post(gateway.url("/v1/images/edits"), RunningGateway.MASTER_KEY,
        "multipart/form-data; boundary=" + boundary, body.toByteArray());
    assertThat(answer.status()).as(new String(answer.raw().body(), StandardCharsets.UTF_8)).isEqualTo(200);
    BufferedImage out = TestImages.decode(image(answer.json(), 0));
    assertThat(out.getWidth()).isEqualTo(1536);
    assertThat(out.getHeight()).isEqualTo(1024);
    assertThat(answer.json().at("/usage/input_tokens_details/image_tokens").asLong())
        .isEqualTo((600 / 32 + 1) * (400 / 32 + 1) + (300 / 32 + 1) * (300 / 32 + 1));
  }

  @Test
  void generate_stream_sendsOneCompletedEventPerImage() {
    Http.Answer answer = Http.postJson(gateway.url("/v1/images/generations"), RunningGateway.MASTER_KEY,
        "{\"prompt\":\"a lighthouse in a storm\",\"quality\":\"low\",\"n\":2,\"stream\":true}");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("content-type")).startsWith("text/event-stream");
    String[] frames = new String(answer.raw().body(), StandardCharsets.UTF_8).split("\n\n");
    assertThat(frames).hasSize(2);
    long outputTokens = 0;
    for (String frame : frames) {
      assertThat(frame).startsWith("event: image_generation.completed\ndata: ");
      JsonNode event = Http.json(frame.substring(frame.indexOf("data: ") + 6));
      assertThat(event.get("type").asText()).isEqualTo("image_generation.completed");
      assertThat(TestImages.decodeBase64(event.get("b64_json").asText()).getWidth()).isEqualTo(1024);
      assertThat(event.get("size").asText()).isEqualTo("1024x1024");
      outputTokens += event.at("/usage/output_tokens").asLong();
    }
    assertThat(outputTokens).isEqualTo(2 * 196);
  }

  @Test
  void health_andReady_answerWithoutAKey() {
    assertThat(Http.get(gateway.url("/health"), null).status()).isEqualTo(200);
    assertThat(Http.get(gateway.url("/ready"), null).status()).isEqualTo(200);
  }

  private static BufferedImage toRgb(BufferedImage argb) {
    BufferedImage rgb = new BufferedImage(argb.getWidth(), argb.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(argb, 0, 0, null);
    return rgb;
  }

  private static void part(ByteArrayOutputStream out, String boundary, String name, String filename, byte[] data) {
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
        + (filename == null ? "" : "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream")
        + "\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(data);
    out.writeBytes("\r\n".getBytes());
  }

  private static String b64(byte[] bytes) { return Base64.getEncoder().encodeToString(bytes); }
}
