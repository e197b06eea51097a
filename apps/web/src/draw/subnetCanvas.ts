// Drawing of the subnet view's address grid: every cell written straight into one ImageData (a /16 is
// 65,536 cells, too many for a fillRect each), then the hover and selection outlines on top.
import type { AddressKind, SubnetAddressMap } from "@eni-view/model";
import { ADDRESS_KINDS } from "@eni-view/model";
import { cellOrigin, type GridGeometry } from "../layout/subnetGrid.ts";
import type { Theme, ThemeName } from "./theme.ts";

// The holders no theme colour names, per theme: each at the theme's mark contrast against the panel the grid
// sits on (3:1, 4.5:1 in high contrast; WCAG 1.4.11) and apart from the others (theme.test.ts measures both).
const holderColours: Record<
  ThemeName,
  Record<"warm" | "prefix" | "reserved-prefix" | "reserved-explicit", string>
> = {
  light: { warm: "#2470ac", prefix: "#628da3", "reserved-prefix": "#288a88", "reserved-explicit": "#8f6a9e" },
  dark: { warm: "#5b91c1", prefix: "#637d93", "reserved-prefix": "#3b9a98", "reserved-explicit": "#a47eb4" },
  contrast: {
    warm: "#005c93",
    prefix: "#4e6c84",
    "reserved-prefix": "#006867",
    "reserved-explicit": "#734986",
  },
};

/** The colour of each holder kind but pods (which take their pod's colour). Free addresses wear the lightest
 * mark grey, "not attached" headroom's, and AWS's reserved five a darker one, so the two read apart. */
export function kindColors(theme: Theme): Record<AddressKind, string> {
  return {
    free: theme.placeholderCell,
    "aws-reserved": theme.textDim,
    node: theme.primaryCell,
    pod: theme.ok,
    other: theme.warn,
    ...holderColours[theme.name],
  };
}

const parsed = new Map<string, number>();
let probe: CanvasRenderingContext2D | null = null;

/** A CSS colour as a little-endian RGBA word for a Uint32Array view of ImageData. */
export function rgba(color: string): number {
  let v = parsed.get(color);
  if (v !== undefined) return v;
  let hex = /^#([0-9a-f]{6})$/i.exec(color)?.[1];
  if (hex === undefined) {
    probe ??= document.createElement("canvas").getContext("2d");
    if (probe) {
      probe.fillStyle = "#000000";
      probe.fillStyle = color;
      hex = /^#([0-9a-f]{6})$/i.exec(String(probe.fillStyle))?.[1];
    }
  }
  const n = Number.parseInt(hex ?? "808080", 16);
  v = (0xff << 24) | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff);
  parsed.set(color, v >>> 0);
  return v >>> 0;
}

function blend(a: number, b: number, t: number): number {
  const ch = (x: number, s: number) => (x >>> s) & 0xff;
  const mix = (s: number) => Math.round(ch(a, s) * (1 - t) + ch(b, s) * t);
  return ((0xff << 24) | (mix(16) << 16) | (mix(8) << 8) | mix(0)) >>> 0;
}

export interface GridStyle {
  theme: Theme;
  podColor: (podKey: string) => string;
  /** With a search: whether the address matches (others are dimmed). */
  lit: ((index: number) => boolean) | null;
}

/** Cell colours of the whole map as RGBA words, one per address. */
export function cellColors(map: SubnetAddressMap, style: GridStyle): Uint32Array {
  const kinds = kindColors(style.theme);
  const byKind = ADDRESS_KINDS.map((k) => rgba(kinds[k]));
  const background = rgba(style.theme.boxFill);
  const out = new Uint32Array(map.size);
  const pod = ADDRESS_KINDS.indexOf("pod");
  for (let i = 0; i < map.size; i++) {
    const k = map.kinds[i]!;
    let c = byKind[k]!;
    if (k === pod) {
      const h = map.holders[map.holderOf[i]!];
      if (h?.pod) c = rgba(style.podColor(h.pod));
    }
    if (style.lit !== null && !style.lit(i)) c = blend(c, background, 0.8);
    out[i] = c;
  }
  return out;
}

/** Draws the grid at device pixel ratio `dpr` into a canvas sized for it. */
export function drawSubnetGrid(
  ctx: CanvasRenderingContext2D,
  map: SubnetAddressMap,
  g: GridGeometry,
  colors: Uint32Array,
  dpr: number,
  marks: { hover: number | null; selected: number | null; theme: Theme },
): void {
  const w = Math.ceil(g.width * dpr);
  const h = Math.ceil(g.height * dpr);
  const image = ctx.createImageData(w, h);
  const px = new Uint32Array(image.data.buffer);
  // Cells of 6 px and more keep a 1 px seam, so single addresses can be told apart in a run.
  const side = Math.max(1, Math.round(g.cell * dpr) - (g.cell >= 6 ? Math.round(dpr) : 0));
  for (let i = 0; i < map.size; i++) {
    const o = cellOrigin(g, i);
    const x0 = Math.round(o.x * dpr);
    const y0 = Math.round(o.y * dpr);
    const c = colors[i]!;
    const xEnd = Math.min(w, x0 + side);
    for (let y = y0; y < Math.min(h, y0 + side); y++) px.fill(c, y * w + x0, y * w + xEnd);
  }
  ctx.putImageData(image, 0, 0);
  ctx.save();
  ctx.scale(dpr, dpr);
  const outline = (index: number | null, color: string, width: number) => {
    if (index === null) return;
    const o = cellOrigin(g, index);
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    const pad = width / 2 + 0.5;
    ctx.strokeRect(o.x - pad, o.y - pad, g.cell + 2 * pad, g.cell + 2 * pad);
  };
  outline(marks.selected, marks.theme.selected, 2);
  outline(marks.hover, marks.theme.hover, 1.5);
  ctx.restore();
}
