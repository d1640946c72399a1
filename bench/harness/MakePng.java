import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Valid 1024x1024 PNGs for the load harness.
 *
 * <pre>
 * java MakePng.java noise OUT BYTES SEED   a realistic-size PNG within 1 % of BYTES: the top rows random
 *                                          noise (incompressible), the rest a smooth gradient
 * java MakePng.java tiny OUT               a 1-bit, one-colour 1024x1024 PNG of a few hundred bytes
 * </pre>
 */
public final class MakePng {
  private static final int SIDE = 1024;

  public static void main(String[] args) throws Exception {
    byte[] png = switch (args[0]) {
      case "noise" -> noise(Long.parseLong(args[2]), Long.parseLong(args[3]));
      case "tiny" -> encode(new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_BINARY));
      default -> throw new IllegalArgumentException("noise OUT BYTES SEED | tiny OUT");
    };
    Files.write(Path.of(args[1]), png);
    System.out.printf("%s: %d bytes, %dx%d%n", args[1], png.length, SIDE, SIDE);
  }

  private static byte[] noise(long target, long seed) throws Exception {
    // size grows about linearly with the noise rows: two probes, then secant steps
    int lo = 200;
    int hi = 500;
    byte[] a = encode(picture(lo, seed));
    byte[] b = encode(picture(hi, seed));
    for (int step = 0; step < 8; step++) {
      byte[] best = Math.abs(a.length - target) < Math.abs(b.length - target) ? a : b;
      if (Math.abs(best.length - target) <= target / 100) return best;
      double perRow = (double) (b.length - a.length) / (hi - lo);
      int next = (int) Math.round(hi + (target - b.length) / perRow);
      next = Math.max(1, Math.min(SIDE, next));
      if (next == hi) return b;
      lo = hi;
      a = b;
      hi = next;
      b = encode(picture(hi, seed));
    }
    return Math.abs(a.length - target) < Math.abs(b.length - target) ? a : b;
  }

  private static BufferedImage picture(int noiseRows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int rgb = y < noiseRows ? random.nextInt(1 << 24) : ((x / 4) << 16) | ((y / 4) << 8) | ((x + y) / 8);
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  private static byte[] encode(BufferedImage img) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer");
    return out.toByteArray();
  }
}
