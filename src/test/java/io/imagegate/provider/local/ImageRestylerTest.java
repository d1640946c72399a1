package io.imagegate.provider.local;

import static io.imagegate.provider.local.Pictures.argb;
import static io.imagegate.provider.local.Pictures.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.Background;
import io.imagegate.api.OutputFormat;
import io.imagegate.api.Quality;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRestylerTest {
  private final LocalEngine engine = new LocalEngine();

  private static LocalRenderRequest edit(String prompt, int w, int h, List<BufferedImage> inputs, BufferedImage mask) {
    return new LocalRenderRequest(prompt, w, h, Quality.MEDIUM, Background.OPAQUE, OutputFormat.PNG, 80, inputs, mask);
  }

  @Test
  void edit_outputHasRequestedSize_andResemblesInput() {
    BufferedImage photo = Pictures.photo(600, 400);
    byte[] bytes = engine.render(edit("make it a sunny day", 512, 512, List.of(photo), null), 0);
    BufferedImage out = decode(bytes);
    assertThat(out.getWidth()).isEqualTo(512);
    assertThat(out.getHeight()).isEqualTo(512);
    int[] fitted = ImageRestyler.fitted(photo, 512, 512, false);
    assertThat(Pictures.lumaCorrelation(fitted, argb(out))).isGreaterThan(0.7);
  }

  @Test
  void edit_nightPrompt_darkensAndBluesTheInput() {
    BufferedImage photo = Pictures.photo(400, 400);
    int[] before = ImageRestyler.fitted(photo, 400, 400, false);
    int[] after = argb(decode(engine.render(edit("Change the scene to night", 400, 400, List.of(photo), null), 0)));
    assertThat(Pictures.meanLuma(before) - Pictures.meanLuma(after)).isGreaterThan(30);
    assertThat(Pictures.mean(after, 0)).isGreaterThan(Pictures.mean(after, 16));
  }

  @Test
  void edit_sunsetPrompt_warmsTheInput() {
    BufferedImage photo = Pictures.photo(300, 300);
    int[] before = ImageRestyler.fitted(photo, 300, 300, false);
    int[] after = argb(decode(engine.render(edit("at sunset", 300, 300, List.of(photo), null), 0)));
    double warmBefore = Pictures.mean(before, 16) - Pictures.mean(before, 0);
    double warmAfter = Pictures.mean(after, 16) - Pictures.mean(after, 0);
    assertThat(warmAfter - warmBefore).isGreaterThan(20);
  }

  @Test
  void edit_withMask_keepsOpaqueMaskPixelsExactly_andRestylesTheTransparentArea() {
    BufferedImage photo = Pictures.photo(640, 480);
    BufferedImage mask = new BufferedImage(640, 480, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 480; y++) {
      for (int x = 0; x < 640; x++) mask.setRGB(x, y, x < 320 ? 0xFF000000 : 0x00000000);
    }
    byte[] bytes = engine.render(edit("Change the scene to night cyberpunk", 512, 512, List.of(photo), mask), 0);
    int[] out = argb(decode(bytes));
    int[] fitted = ImageRestyler.fitted(photo, 512, 512, false);
    int[] keep = ImageRestyler.maskAlpha(mask, 640, 480, 512, 512);
    int kept = 0, changed = 0, editable = 0;
    for (int i = 0; i < out.length; i++) {
      if (keep[i] == 255) {
        assertThat(out[i]).as("pixel %d", i).isEqualTo(fitted[i]);
        kept++;
      } else if (keep[i] == 0) {
        editable++;
        if (out[i] != fitted[i]) changed++;
      }
    }
    assertThat(kept).isGreaterThan(out.length / 3);
    assertThat(editable).isGreaterThan(out.length / 3);
    assertThat(changed).isGreaterThan(editable * 9 / 10);
  }

  @Test
  void edit_smallerMask_isScaledToTheInput() {
    BufferedImage photo = Pictures.photo(400, 400);
    BufferedImage mask = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 100; x++) mask.setRGB(x, y, y < 50 ? 0xFF000000 : 0);
    }
    int[] out = argb(decode(engine.render(edit("snowy winter", 400, 400, List.of(photo), mask), 0)));
    int[] fitted = ImageRestyler.fitted(photo, 400, 400, false);
    for (int y = 0; y < 180; y++) {
      for (int x = 0; x < 400; x++) assertThat(out[y * 400 + x]).isEqualTo(fitted[y * 400 + x]);
    }
    int changed = 0;
    for (int i = 220 * 400; i < out.length; i++) if (out[i] != fitted[i]) changed++;
    assertThat(changed).isGreaterThan(180 * 400 / 2);
  }

  @Test
  void fit_coverScalesAndCropsTheCentre() {
    // left third red, middle green, right third blue: a square crop of a 3:1 picture keeps only green
    BufferedImage wide = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 300; x++) wide.setRGB(x, y, x < 100 ? 0xFF0000 : x < 200 ? 0x00FF00 : 0x0000FF);
    }
    int[] px = Fit.cover(wide, 50, 50);
    for (int p : px) assertThat(p & 0xFFFFFF).isEqualTo(0x00FF00);
    int[] big = Fit.cover(wide, 900, 300);
    assertThat(big[150 * 900 + 10] & 0xFFFFFF).isEqualTo(0xFF0000);
    assertThat(big[150 * 900 + 890] & 0xFFFFFF).isEqualTo(0x0000FF);
  }

  @Test
  void argb_readsEveryCommonLayoutLikeGetRgb() {
    BufferedImage photo = Pictures.photo(97, 41);
    for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_565_RGB}) {
      BufferedImage img = new BufferedImage(97, 41, type);
      java.awt.Graphics2D g = img.createGraphics();
      g.drawImage(photo, 0, 0, null);
      g.dispose();
      if (img.getColorModel().hasAlpha()) img.setRGB(5, 5, 0x40112233);
      assertThat(Fit.argb(img)).as("type %d", type).isEqualTo(img.getRGB(0, 0, 97, 41, null, 0, 97));
    }
  }

  @Test
  void edit_extraInputs_appearAsInsets() {
    BufferedImage photo = Pictures.photo(256, 256);
    BufferedImage ref = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) ref.setRGB(x, y, 0xFF00FF);
    int[] alone = argb(decode(engine.render(edit("a painting", 256, 256, List.of(photo), null), 0)));
    int[] with = argb(decode(engine.render(edit("a painting", 256, 256, List.of(photo, ref), null), 0)));
    int magenta = 0;
    for (int y = 180; y < 256; y++) {
      for (int x = 150; x < 256; x++) {
        int p = with[y * 256 + x];
        if (Rgb.r(p) > 150 && Rgb.b(p) > 150 && Rgb.g(p) < 100) magenta++;
      }
    }
    assertThat(magenta).isGreaterThan(500);
    assertThat(Pictures.meanDiff(alone, with)).isGreaterThan(0.5);
  }

  @Test
  void edit_transparentBackground_keepsInputAlpha() {
    BufferedImage input = new BufferedImage(128, 128, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 128; y++) for (int x = 0; x < 128; x++) input.setRGB(x, y, x < 64 ? 0 : 0xFF3366CC);
    LocalRenderRequest r = new LocalRenderRequest("at night", 128, 128, Quality.LOW, Background.TRANSPARENT,
        OutputFormat.PNG, 80, List.of(input), null);
    int[] out = argb(decode(engine.render(r, 0)));
    assertThat(out[64 * 128 + 10] >>> 24).isZero();
    assertThat(out[64 * 128 + 100] >>> 24).isEqualTo(255);
  }

  @Test
  void edit_isDeterministic_andIndicesDiffer() {
    BufferedImage photo = Pictures.photo(200, 200);
    LocalRenderRequest r = edit("night cyberpunk", 200, 200, List.of(photo), null);
    assertThat(engine.render(r, 0)).isEqualTo(engine.render(r, 0));
    assertThat(engine.render(r, 0)).isNotEqualTo(engine.render(r, 1));
  }
}
