// The size rules the gateway validates by (GET admin/playground/models), checked as you type.

export const FLEXIBLE_PRESETS = ['1024x1024', '1536x1024', '1024x1536', '2048x2048', '2048x1152', '1152x2048',
  '3840x2160', '2160x3840'];

/** The presets to offer for a model's size rule: 'auto' where allowed, then its sizes, then 'custom' if free. */
export function presets(rule) {
  const out = rule.auto ? ['auto'] : [];
  if (rule.rule === 'fixed') return out.concat(rule.sizes);
  if (rule.rule === 'aspect_tiers') return out.concat(Object.values(rule.ratios).flat(), ['custom']);
  return out.concat(FLEXIBLE_PRESETS.filter(s => check(s, rule) === null), ['custom']);
}

/** null when the size is accepted, else what rule it breaks (the gateway's wording). */
export function check(size, rule) {
  if (size === 'auto') return rule.auto ? null : 'this model needs an explicit size';
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!m) return 'write the size as WIDTHxHEIGHT, e.g. 1024x1024';
  const w = Number(m[1]), h = Number(m[2]);
  if (rule.rule === 'fixed') return rule.sizes.includes(size) ? null : 'this model supports only ' + rule.sizes.join(', ');
  if (rule.rule === 'aspect_tiers') return aspectCheck(size, w, h, rule);
  if (w % rule.multiple || h % rule.multiple) return 'both width and height must be multiples of ' + rule.multiple;
  if (Math.max(w, h) > rule.max_edge) return 'the longest edge must be at most ' + rule.max_edge + ' pixels';
  if (Math.max(w, h) / Math.min(w, h) > rule.max_ratio) {
    return 'the ratio of the long edge to the short edge must be at most ' + rule.max_ratio + ':1';
  }
  if (w * h < rule.min_pixels || w * h > rule.max_pixels) {
    return 'width x height must be between ' + rule.min_pixels.toLocaleString('en-US') + ' and '
      + rule.max_pixels.toLocaleString('en-US') + ' pixels (it is ' + (w * h).toLocaleString('en-US') + ')';
  }
  return null;
}

/** Aspect ratios × tiers: a drawn size, or a WxH whose reduced ratio is listed (the gateway picks the tier). */
function aspectCheck(size, w, h, rule) {
  if (Object.values(rule.ratios).some(sizes => sizes.includes(size))) return null;
  const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(w, h), ratio = w / g + ':' + h / g;
  if (!rule.ratios[ratio]) return 'its aspect ratio ' + ratio + ' is not one this model draws ('
    + Object.keys(rule.ratios).join(', ') + ')';
  return null;
}
