package io.imagegate.api;

/** Models that share request rules and token accounting. */
public enum ModelFamily {
  /** gpt-image-2 and its snapshots: free sizes, patch-based input tokens, no input_fidelity. */
  GPT_IMAGE_2,
  /** gpt-image-1, gpt-image-1.5, gpt-image-1-mini, chatgpt-image-latest: three sizes and a token table. */
  GPT_IMAGE_1,
  DALL_E_3,
  DALL_E_2,
  /**
   * Gemini image models (gemini-2.5-flash-image, gemini-3-pro-image…): aspect ratios × tiers, PNG drawn (other
   * formats transcoded), opaque only, usage reported by the upstream.
   */
  GEMINI_IMAGE,
  /**
   * Seedream 4.x on Volcengine / BytePlus ModelArk: any {@code WxH} within pixel-area bounds, JPEG drawn (other
   * formats transcoded), opaque only, billed per image; its usage counts w·h/256 output tokens per image.
   */
  SEEDREAM,
  /**
   * FLUX on the Black Forest Labs API: {@code width}/{@code height} in multiples of 32 (FLUX 1.1, FLUX.2) or an
   * aspect ratio (Kontext), PNG or JPEG drawn (WebP transcoded), opaque only, billed per image; no token counts.
   */
  FLUX,
  /**
   * Qwen-Image on Alibaba Model Studio (DashScope): {@code W*H} sizes (a fixed list for qwen-image, -plus and
   * -max; free edges of 512–2048 for the edit models), PNG drawn (other formats transcoded), opaque only, billed
   * per image; no token counts.
   */
  QWEN_IMAGE
}
