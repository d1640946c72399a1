package io.imagegate.provider.local;

import static io.imagegate.provider.local.Pictures.argb;
import static io.imagegate.provider.local.Pictures.decode;
import static io.imagegate.provider.local.Pictures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import io.imagegate.api.Background;
import io.imagegate.api.OutputFormat;
import io.imagegate.api.Quality;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalEngineTest {
  private static final String CAT = "A white cat running under the stars, cyberpunk style";
  private final LocalEngine engine = new LocalEngine();

  private int[] pixels(String prompt, int w, int h) {
    return argb(decode(engine.render(request(prompt, w, h), 0)));
  }

  @Test
  void render_samePromptTwice_givesIdenticalBytes() {
    LocalRenderRequest r = request(CAT, 512, 384);
    assertThat(engine.render(r, 0)).isEqualTo(new LocalEngine().render(r, 0));
  }

  @Test
  void render_differentPrompts_giveVisiblyDifferentImages() {
    int[] a = pixels(CAT, 256, 256);
    int[] b = pixels("a red barn in a snowy field at sunset, watercolor", 256, 256);
    int[] c = pixels("zorblax quintessence 42", 256, 256);
    assertThat(Pictures.meanDiff(a, b)).isGreaterThan(25);
    assertThat(Pictures.meanDiff(a, c)).isGreaterThan(25);
    assertThat(Pictures.meanDiff(b, c)).isGreaterThan(15);
  }

  @Test
  void render_unknownWords_stillChangeThePicture() {
    int[] a = pixels("zorblax quintessence", 256, 256);
    int[] b = pixels("flumph vortigaunt", 256, 256);
    assertThat(Pictures.meanDiff(a, b)).isGreaterThan(5);
  }

  @Test
  void render_differentIndices_giveDifferentImages() {
    LocalRenderRequest r = request("a dog on a beach", 256, 256);
    int[] a = argb(decode(engine.render(r, 0))), b = argb(decode(engine.render(r, 1))), c = argb(decode(engine.render(r, 2)));
    assertThat(Pictures.meanDiff(a, b)).isGreaterThan(3);
    assertThat(Pictures.meanDiff(b, c)).isGreaterThan(3);
    assertThat(Pictures.meanDiff(a, c)).isGreaterThan(3);
  }

  @Test
  void render_nightPrompt_isDarkerThanNoonPrompt() {
    double night = Pictures.meanLuma(pixels("a house in a field at night", 256, 256));
    double noon = Pictures.meanLuma(pixels("a house in a field at noon", 256, 256));
    assertThat(noon - night).isGreaterThan(50);
  }

  @Test
  void render_redPrompt_isRedderThanBluePrompt() {
    int[] red = pixels("a red world", 256, 256), blue = pixels("a blue world", 256, 256);
    assertThat(Pictures.mean(red, 16)).isGreaterThan(Pictures.mean(red, 0));
    assertThat(Pictures.mean(blue, 0)).isGreaterThan(Pictures.mean(blue, 16));
    assertThat(Pictures.mean(red, 16) - Pictures.mean(blue, 16)).isGreaterThan(20);
  }

  @Test
  void render_isAComposedScene_notFlatNorNoise() {
    int[] px = pixels(CAT, 512, 512);
    assertThat(Pictures.lumaStdDev(px)).isGreaterThan(20);
    Set<Integer> colours = new HashSet<>();
    int sameAsLeft = 0;
    for (int i = 0; i < px.length; i++) {
      colours.add(px[i] & 0xFFFFFF);
      if (i % 512 != 0 && px[i] == px[i - 1]) sameAsLeft++;
    }
    assertThat(colours).hasSizeGreaterThan(200);
    // smooth regions, not per-pixel noise
    assertThat(sameAsLeft).isGreaterThan(px.length / 3);
  }

  @ParameterizedTest
  @CsvSource({"PNG,256,256", "PNG,1024,1536", "JPEG,1536,1024", "JPEG,256,256", "WEBP,512,256", "PNG,3840,2160"})
  void render_eachFormat_decodesToRequestedSize(OutputFormat format, int w, int h) {
    byte[] bytes = engine.render(request(CAT, w, h, Quality.LOW, Background.OPAQUE, format), 0);
    BufferedImage img = decode(bytes);
    assertThat(img.getWidth()).isEqualTo(w);
    assertThat(img.getHeight()).isEqualTo(h);
    assertThat(img.getColorModel().hasAlpha()).isFalse();
    switch (format) {
      case PNG -> assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
      case JPEG -> assertThat(bytes).startsWith(0xFF, 0xD8, 0xFF);
      case WEBP -> assertThat(new String(bytes, 8, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("WEBP");
    }
  }

  @ParameterizedTest
  @CsvSource({"PNG", "WEBP"})
  void render_transparentBackground_hasTransparentSkyAndOpaqueScene(OutputFormat format) {
    byte[] bytes = engine.render(request("a cat in a field", 384, 256, Quality.HIGH, Background.TRANSPARENT, format), 0);
    BufferedImage img = decode(bytes);
    assertThat(img.getColorModel().hasAlpha()).isTrue();
    int[] px = argb(img);
    int clear = 0, solid = 0;
    for (int p : px) {
      if (p >>> 24 == 0) clear++;
      if (p >>> 24 == 255) solid++;
    }
    assertThat(clear).isGreaterThan(px.length / 10);
    assertThat(solid).isGreaterThan(px.length / 5);
    // the top-left corner is sky, the bottom centre ground
    assertThat(px[0] >>> 24).isZero();
    assertThat(px[px.length - 128] >>> 24).isEqualTo(255);
  }

  @Test
  void draw_returnsAlphaOnlyForTransparentBackgrounds() {
    assertThat(engine.draw(request(CAT, 64, 64), 0).getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    BufferedImage t = engine.draw(request(CAT, 64, 64, Quality.LOW, Background.TRANSPARENT, OutputFormat.PNG), 0);
    assertThat(t.getType()).isEqualTo(BufferedImage.TYPE_INT_ARGB);
    // jpeg has no alpha, whatever the background says
    BufferedImage j = engine.draw(request(CAT, 64, 64, Quality.LOW, Background.TRANSPARENT, OutputFormat.JPEG), 0);
    assertThat(j.getColorModel().hasAlpha()).isFalse();
  }

  @Test
  void render_jpegCompression10_isSmallerThan95() {
    LocalRenderRequest low = new LocalRenderRequest(CAT, 512, 512, Quality.MEDIUM, Background.OPAQUE, OutputFormat.JPEG, 10, List.of(), null);
    LocalRenderRequest high = new LocalRenderRequest(CAT, 512, 512, Quality.MEDIUM, Background.OPAQUE, OutputFormat.JPEG, 95, List.of(), null);
    assertThat(engine.render(low, 0).length).isLessThan(engine.render(high, 0).length);
  }

  @Test
  void render_lowAndHighQuality_drawDifferentDetail() {
    String prompt = "a castle on a mountain at night, snow";
    byte[] low = engine.render(request(prompt, 512, 512, Quality.LOW, Background.OPAQUE, OutputFormat.PNG), 0);
    byte[] high = engine.render(request(prompt, 512, 512, Quality.HIGH, Background.OPAQUE, OutputFormat.PNG), 0);
    assertThat(low).isNotEqualTo(high);
    // antialiasing and extra detail give more distinct colours
    assertThat(distinctColours(argb(decode(high)))).isGreaterThan(distinctColours(argb(decode(low))));
  }

  private static int distinctColours(int[] px) {
    Set<Integer> s = new HashSet<>();
    for (int p : px) s.add(p & 0xFFFFFF);
    return s.size();
  }

  @Test
  void render_pixelArt_isBlocky() {
    int[] px = pixels("pixel art castle on a mountain at night", 512, 512);
    int same = 0;
    for (int i = 1; i < px.length; i++) if (i % 512 != 0 && px[i] == px[i - 1]) same++;
    assertThat(same).isGreaterThan(px.length * 3 / 4);
    int[] plain = pixels("castle on a mountain at night", 512, 512);
    assertThat(distinctColours(px)).isLessThan(distinctColours(plain));
  }

  @Test
  void render_pencilSketch_isGreyscale() {
    int[] px = pixels("pencil sketch of a house by a lake", 256, 256);
    int coloured = 0;
    for (int p : px) if (Math.abs(Rgb.r(p) - Rgb.g(p)) > 6 || Math.abs(Rgb.g(p) - Rgb.b(p)) > 6) coloured++;
    assertThat(coloured).isLessThan(px.length / 100);
    assertThat(Pictures.lumaStdDev(px)).isGreaterThan(5);
  }

  @Test
  void render_webp_worksOrIsRefusedAsDocumented() {
    LocalRenderRequest r = request(CAT, 128, 128, Quality.LOW, Background.OPAQUE, OutputFormat.WEBP);
    if (LocalEngine.webpAvailable()) {
      assertThat(decode(engine.render(r, 0)).getWidth()).isEqualTo(128);
    } else {
      assertThatThrownBy(() -> engine.render(r, 0)).isInstanceOf(ApiException.class)
          .hasMessageContaining("webp output is not available");
    }
  }

  @Test
  void render_concurrentCalls_giveTheSameBytes() throws Exception {
    LocalRenderRequest r = request("a robot in a rainy city", 640, 480);
    byte[] expected = engine.render(r, 3);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) futures.add(pool.submit(() -> engine.render(r, 3)));
      for (Future<byte[]> f : futures) assertThat(f.get()).isEqualTo(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void render_manyPrompts_allDrawWithoutError() {
    String[] prompts = {"", "   ", "a sailboat on the ocean at sunset", "an astronaut floating in space",
        "a robot in the desert, storm", "a dog in a foggy forest at dawn, oil painting", "black and white photo of a tree",
        "a bird over the mountains", "glowing orb", "a car at night in the city, rain", "日本の猫"};
    for (String p : prompts) {
      for (Background bg : Background.values()) {
        BufferedImage img = decode(engine.render(request(p, 300, 200, Quality.HIGH, bg, OutputFormat.PNG), 1));
        assertThat(img.getWidth()).as(p).isEqualTo(300);
        assertThat(img.getHeight()).as(p).isEqualTo(200);
      }
    }
  }

  @Test
  void draw_tinyAndOddSizes_work() {
    assertThat(engine.draw(request(CAT, 1, 1), 0).getWidth()).isEqualTo(1);
    BufferedImage odd = engine.draw(request("pixel art " + CAT, 333, 77), 0);
    assertThat(odd.getWidth()).isEqualTo(333);
    assertThat(odd.getHeight()).isEqualTo(77);
  }
}
