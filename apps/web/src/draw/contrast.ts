// WCAG 2.x contrast: the relative luminance of an sRGB colour and the ratio of two (WCAG 2.2, "contrast
// ratio" and "relative luminance" in its definitions). A colour painted with an alpha is judged as it lands on
// its background, so `over` blends first.

export type Rgb = readonly [number, number, number];

/** "#rrggbb" or "#rgb" to 0-255 channels; anything else is a programming error, said with the value. */
export function parseHex(css: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css);
  if (!m) throw new Error(`not a #rgb or #rrggbb colour: ${css}`);
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join("") : m[1]!;
  const v = Number.parseInt(h, 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export function toHex(c: Rgb): string {
  return `#${c
    .map((v) =>
      Math.round(Math.min(255, Math.max(0, v)))
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

/** sRGB channel (0-255) to linear light (0-1), the IEC 61966-2-1 curve. */
export function linear(v: number): number {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance(c: Rgb): number {
  return 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2]);
}

export function contrastRatio(a: Rgb | string, b: Rgb | string): number {
  const la = luminance(typeof a === "string" ? parseHex(a) : a);
  const lb = luminance(typeof b === "string" ? parseHex(b) : b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The colour `fg` painted with `alpha` over `bg`, as the canvas blends it (in sRGB values). */
export function over(fg: Rgb | string, alpha: number, bg: Rgb | string): Rgb {
  const f = typeof fg === "string" ? parseHex(fg) : fg;
  const b = typeof bg === "string" ? parseHex(bg) : bg;
  return [0, 1, 2].map((i) => f[i]! * alpha + b[i]! * (1 - alpha)) as unknown as Rgb;
}
