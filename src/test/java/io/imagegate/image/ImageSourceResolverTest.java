package io.imagegate.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSourceResolverTest {
  private final ImageSourceResolver resolver = new ImageSourceResolver(ImageLimits.defaults());

  @Test
  void resolve_dataUrl_decodesAndIgnoresDeclaredType() {
    byte[] png = TestImages.png(12, 8, true);
    String url = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(png);

    InputImage image = resolver.resolve(url, "image");

    assertThat(image.bytes()).isEqualTo(png);
    assertThat(image.info()).isEqualTo(new ImageInfo(ImageFormat.PNG, 12, 8, true));
  }

  @Test
  void resolve_dataUrlWithParametersAndUpperCase_isAccepted() {
    byte[] webp = TestImages.webp(6, 6, false, true);
    String url = "  DATA:Image/WebP;name=x.webp;BASE64," + Base64.getEncoder().encodeToString(webp) + "\n";

    assertThat(resolver.resolve(url, "image").info().format()).isEqualTo(ImageFormat.WEBP);
  }

  @Test
  void resolve_dataUrlOfNonImageOrNotBase64_isRefused() {
    String payload = Base64.getEncoder().encodeToString(TestImages.png(2, 2, false));
    assertRefused("data:text/plain;base64," + payload, "image", "image type");
    assertRefused("data:image/png," + payload, "image", "base64-encoded");
    assertRefused("data:image/png;base64", "image", "base64-encoded");
  }

  @Test
  void resolve_bareBase64WithLineBreaks_isDecoded() {
    byte[] jpeg = TestImages.jpeg(20, 10);
    String mime = Base64.getMimeEncoder().encodeToString(jpeg);
    assertThat(mime).contains("\r\n");

    InputImage image = resolver.resolve(mime, "images[0]");

    assertThat(image.bytes()).isEqualTo(jpeg);
    assertThat(image.info().width()).isEqualTo(20);
  }

  @Test
  void resolve_urlSafeBase64WithoutPadding_isDecoded() {
    byte[] png = TestImages.png(31, 7, false);
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(png);

    assertThat(resolver.resolve(urlSafe, "image").bytes()).isEqualTo(png);
  }

  @Test
  void resolve_invalidBase64_isRefused() {
    assertRefused("iVBORw0KGgo*AAAA", "mask", "not valid base64");
    assertRefused("iVBORw0KGgoA=AAA", "mask", "not valid base64");
    assertRefused("iVBORw0KG", "mask", "not valid base64");
    assertRefused("   ", "mask", "empty");
  }

  @Test
  void resolve_validBase64OfUnsupportedFormat_isRefused() {
    String gif = Base64.getEncoder().encodeToString("GIF89a\1\0\1\0".getBytes());
    assertRefused(gif, "image", "use png, jpeg or webp");
  }

  @Test
  void resolve_nonHttpSchemes_areRefusedByName() {
    assertRefused("file:/etc/passwd", "image", "scheme 'file'");
    assertRefused("file:///etc/passwd", "image", "scheme 'file'");
    assertRefused("ftp://example.com/a.png", "image", "scheme 'ftp'");
    assertRefused("gopher://example.com/", "image", "scheme 'gopher'");
    assertRefused("jar:file:/x.jar!/a.png", "image", "scheme 'jar'");
  }

  @Test
  void fromBytes_pixelBombHeader_isRefusedBeforeDecoding() {
    // 33 bytes declaring 900 million pixels: a decoder would allocate gigabytes
    byte[] bomb = TestImages.pngHeader(30000, 30000, 6);

    assertThatThrownBy(() -> resolver.fromBytes(bomb, "image"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("30000x30000")
        .hasMessageContaining(String.valueOf(ImageLimits.DEFAULT_MAX_PIXELS));
  }

  @Test
  void resolve_pixelBombInDataUrl_isRefused() {
    String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(TestImages.pngHeader(30000, 30000, 2));
    assertRefused(url, "image", "30000x30000");
  }

  @Test
  void fromBytes_atThePixelLimit_isAccepted() {
    ImageSourceResolver small = new ImageSourceResolver(new ImageLimits(1_000_000, 100, Duration.ofSeconds(1), 0, List.of()));
    assertThat(small.fromBytes(TestImages.png(10, 10, false), "image").info().width()).isEqualTo(10);
    assertThatThrownBy(() -> small.fromBytes(TestImages.png(10, 11, false), "image"))
        .hasMessageContaining("10x11 (110 pixels), over the limit of 100 pixels");
  }

  @Test
  void fromBytesAndResolve_overByteLimit_areRefused() {
    byte[] png = TestImages.png(40, 40, true);
    ImageSourceResolver tiny = new ImageSourceResolver(new ImageLimits(png.length - 1, 1_000_000, Duration.ofSeconds(1), 0, List.of()));

    assertThatThrownBy(() -> tiny.fromBytes(png, "image")).hasMessageContaining("over the limit of " + (png.length - 1) + " bytes");
    assertThatThrownBy(() -> tiny.resolve(Base64.getEncoder().encodeToString(png), "image"))
        .hasMessageContaining("over the limit of " + (png.length - 1) + " bytes");
  }

  @Test
  void fromBytes_emptyOrNull_isRefused() {
    assertThatThrownBy(() -> resolver.fromBytes(new byte[0], "image")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> resolver.fromBytes(null, "image")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> resolver.resolve(null, "image")).isInstanceOf(ApiException.class);
  }

  private void assertRefused(String reference, String param, String messagePart) {
    assertThatThrownBy(() -> resolver.resolve(reference, param))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo("invalid_image");
          assertThat(e.param()).isEqualTo(param);
        })
        .hasMessageContaining(messagePart);
  }
}
