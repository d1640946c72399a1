package io.imagegate.provider.local;

/** Stateless integer hashing: the engine's only source of variety, so output is reproducible. */
final class Hash {
  private Hash() {}

  /** SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A well-spread 32-bit value for grid cell (x, y) under {@code seed}. */
  static int cell(int x, int y, long seed) {
    return (int) mix(seed ^ ((long) x * 0x9E3779B97F4A7C15L) ^ ((long) y * 0xC2B2AE3D27D4EB4FL));
  }

  /**
   * A tileable value-noise texture, {@code size x size} (a power of two), values about -127..127: one
   * octave at {@code cell} pixels plus a finer one at half that, smoothstep-interpolated so no grid
   * shows. Cheap enough to make per render.
   */
  static byte[] noiseTile(int size, int cell, long seed) {
    byte[] out = new byte[size * size];
    int[] coarse = octave(size, cell, seed), fine = octave(size, Math.max(1, cell / 2), seed ^ 0x632BE59BD9B4E019L);
    for (int i = 0; i < out.length; i++) out[i] = (byte) Math.max(-127, Math.min(127, (coarse[i] * 2 + fine[i]) / 3));
    return out;
  }

  private static int[] octave(int size, int cell, long seed) {
    int cells = Math.max(1, size / cell);
    int[] fade = new int[cell];
    for (int i = 0; i < cell; i++) {
      double t = (double) i / cell;
      fade[i] = (int) Math.round(256 * t * t * (3 - 2 * t));
    }
    int[] out = new int[size * size];
    for (int y = 0; y < size; y++) {
      int cy = y / cell % cells, cy1 = (cy + 1) % cells, fy = fade[y % cell];
      for (int x = 0; x < size; x++) {
        int cx = x / cell % cells, cx1 = (cx + 1) % cells, fx = fade[x % cell];
        int a = cell(cx, cy, seed) >> 24, b = cell(cx1, cy, seed) >> 24;
        int c = cell(cx, cy1, seed) >> 24, d = cell(cx1, cy1, seed) >> 24;
        int top = a * 256 + (b - a) * fx, bottom = c * 256 + (d - c) * fx;
        out[y * size + x] = (top * 256 + (bottom - top) * fy) >> 16;
      }
    }
    return out;
  }
}
