package io.imagegate.provider;

import io.imagegate.api.OutputFormat;
import io.imagegate.image.ImageDecoder;
import io.imagegate.image.ImageInfo;
import io.imagegate.image.ImageProbe;
import io.imagegate.image.InputImage;
import io.imagegate.provider.local.ImageEncoder;

/**
 * A drawn image in the format the client asked for, for upstreams that draw one format only (Gemini PNG,
 * Seedream JPEG): the file as it came when it already is that format, else decoded and encoded again
 * (JPEG and WebP at the request's {@code output_compression}), opaque.
 */
public final class Transcoder {
  private Transcoder() {}

  /** @param param where the image is in the answer ({@code data[0]}), for errors */
  public static byte[] toFormat(byte[] drawn, OutputFormat format, int compression, String param) {
    ImageInfo info = ImageProbe.inspect(drawn, param);
    if (info.format().name().equals(format.name())) return drawn;
    var picture = ImageDecoder.decode(new InputImage(drawn, info), param);
    return ImageEncoder.encode(picture, format, compression, false);
  }

  /** Whether {@code format} can be produced here (WebP needs a native library). */
  public static boolean canWrite(OutputFormat format) {
    return format != OutputFormat.WEBP || ImageEncoder.webpWorks();
  }
}
