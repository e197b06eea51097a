// Non-text contrast of the zoomed-out map as it is composited (WCAG 1.4.11), not as the palette lists it: the
// overview raster and the zoomed-out box drawing each paint real boxes, and the pixels they leave are measured
// against what is beside them, in every theme and palette. theme.test.ts measures the palette itself.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeReport } from "@eni-view/model";
import { layoutCluster, type PlacedNode } from "../layout/clusterLayout.ts";
import { HEADER_H, PAD } from "../layout/metrics.ts";
import type { CellKind } from "../layout/nodeLayout.ts";
import type { ProblemKind } from "../layout/problems.ts";
import { eni, slots, t3medium } from "../layout/testNodes.ts";
import { seenDistance } from "./colourVision.ts";
import { contrastRatio, parseHex, toHex } from "./contrast.ts";
import { type BoxStyle, drawNodeBox } from "./nodeBox.ts";
import { OverviewRaster } from "./overviewRaster.ts";
import type { Font, Painter, TextRun } from "./painter.ts";
import { markFill, problemMarkRects } from "./problemMarks.ts";
import { paletteNames, type Theme, themeFor, themeNames } from "./theme.ts";

/** An RGB picture with a transparent "page" (null) where nothing was painted. */
interface Picture {
  width: number;
  height: number;
  at(x: number, y: number): string | null;
}

/** A Painter that composites into pixels at one pixel per layout unit, as a canvas would (alpha over), with
 * its origin moved to the box being drawn. */
class PixelPainter implements Painter {
  readonly rgb: Float64Array;
  readonly painted: Uint8Array;
  readonly width: number;
  readonly height: number;
  ox = 0;
  oy = 0;
  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.rgb = new Float64Array(width * height * 3);
    this.painted = new Uint8Array(width * height);
  }
  rect(x: number, y: number, w: number, h: number, fill: string, alpha = 1): void {
    const [r, g, b] = parseHex(fill);
    const x0 = Math.max(0, Math.round(this.ox + x));
    const x1 = Math.min(this.width, Math.round(this.ox + x + w));
    for (
      let yy = Math.max(0, Math.round(this.oy + y));
      yy < Math.min(this.height, Math.round(this.oy + y + h));
      yy++
    )
      for (let xx = x0; xx < x1; xx++) {
        const i = yy * this.width + xx;
        const c = this.rgb;
        c[i * 3] = r * alpha + c[i * 3]! * (1 - alpha);
        c[i * 3 + 1] = g * alpha + c[i * 3 + 1]! * (1 - alpha);
        c[i * 3 + 2] = b * alpha + c[i * 3 + 2]! * (1 - alpha);
        this.painted[i] = 1;
      }
  }
  strokeRect(x: number, y: number, w: number, h: number, stroke: string, lw: number, alpha = 1): void {
    const l = Math.max(1, Math.round(lw));
    this.rect(x - 0.5, y - 0.5, w + 1, l, stroke, alpha);
    this.rect(x - 0.5, y + h + 0.5 - l, w + 1, l, stroke, alpha);
    this.rect(x - 0.5, y - 0.5, l, h + 1, stroke, alpha);
    this.rect(x + w + 0.5 - l, y - 0.5, l, h + 1, stroke, alpha);
  }
  circle(cx: number, cy: number, r: number, fill: string, alpha = 1): void {
    this.rect(cx - r * 0.7, cy - r * 0.7, r * 1.4, r * 1.4, fill, alpha);
  }
  text(): void {}
  textRuns(_x: number, _y: number, _runs: readonly TextRun[], _font: Font, _fill: string): void {}
  measure(s: string): number {
    return s.length * 5;
  }
  picture(): Picture {
    const c = this.rgb;
    return pictureOf(this.width, this.height, (i) =>
      this.painted[i] ? toHex([c[i * 3]!, c[i * 3 + 1]!, c[i * 3 + 2]!]) : null,
    );
  }
}

/** The picture, each pixel's colour worked out once when first read: the scans read each several times. */
function pictureOf(width: number, height: number, colour: (i: number) => string | null): Picture {
  const hex: (string | null | undefined)[] = new Array(width * height);
  return {
    width,
    height,
    at: (x, y) => {
      const i = y * width + x;
      let c = hex[i];
      if (c === undefined) {
        c = colour(i);
        hex[i] = c;
      }
      return c;
    },
  };
}

function rasterPicture(r: OverviewRaster): Picture {
  return pictureOf(r.width, r.height, (i) => {
    const v = r.pixels[i]!;
    return v >>> 24 === 0 ? null : toHex([v & 255, (v >> 8) & 255, (v >> 16) & 255]);
  });
}

const GAP = 12;

/** Paints the nodes side by side, zoomed out, the one way or the other; `scale` pixels per layout unit. */
function paint(
  how: "raster" | "box",
  nodes: NodeReport[],
  style: Omit<BoxStyle, "text">,
  scale = 1,
): { picture: Picture; placed: PlacedNode[]; scale: number } {
  const layout = layoutCluster(nodes, { grouping: "none" });
  const placed = layout.nodes;
  const w = Math.ceil((layout.width + GAP) * scale) + 2;
  const h = Math.ceil((layout.height + GAP) * scale) + 2;
  if (how === "raster") {
    const r = new OverviewRaster(w, h, scale);
    for (const p of placed) r.paintNode(p, style);
    return { picture: rasterPicture(r), placed, scale };
  }
  const painter = new PixelPainter(Math.ceil(layout.width + GAP), Math.ceil(layout.height + GAP));
  for (const p of placed) {
    painter.ox = Math.floor(p.x);
    painter.oy = Math.floor(p.y);
    drawNodeBox(painter, p.layout, { ...style, text: false });
  }
  return { picture: painter.picture(), placed, scale: 1 };
}

const every = themeNames.flatMap((n) => paletteNames.map((p) => themeFor(n, p)));
const minFor = (t: Theme) => (t.name === "contrast" ? 4.5 : 3);

const style = (t: Theme, extra: Partial<BoxStyle> = {}): Omit<BoxStyle, "text"> => ({
  theme: t,
  podColor: () => "#4e79a7",
  lit: null,
  nodeLit: null,
  problems: null,
  heat: null,
  ...extra,
});

const MARKED: ProblemKind[] = ["full", "waiting-for-ip", "overcommitted", "subnet-low", "eni-limit"];

/** The boxes every check reads, painted once per theme and way: "slots" has each kind of slot (the primary IP,
 * a pod, warm IPs, room on the ENI and two ENIs not attached); "not-ready" and "cordoned" their header bands;
 * "heat-<i>" the ramp's step i; "marks-cells", "marks-calm" and "marks-hot" every problem mark over pod cells,
 * the calmest and the hottest heat colour. */
function scene(how: "raster" | "box", t: Theme) {
  const full = (name: string) =>
    t3medium(name, [eni("eni-a", 0, slots(11, 5, 5)), eni("eni-b", 1, slots(21, 5, 5))], {
      overcommitted: true,
    });
  const nodes = [
    t3medium("slots", [eni("eni-a", 0, slots(11, 3, 1))]),
    t3medium("not-ready", [], { ready: false }),
    t3medium("cordoned", [], { cordoned: true }),
    // A node of the overview stream (100,000 nodes): its numbers only, drawn as one bar of used, warm and room.
    t3medium("thin", [], {
      omitted: { enis: 2, hostNetworkPods: 0 },
      eniSlotsFree: 1,
      ipsAssigned: 8,
      ipsUsed: 4,
      ipsWarm: 4,
    }),
    ...t.heat.map((_, i) => t3medium(`heat-${i}`, [])),
    full("marks-cells"),
    full("marks-calm"),
    full("marks-hot"),
  ];
  const heatOf: Record<string, string> = {
    "marks-calm": t.heat[0]!,
    "marks-hot": t.heat[t.heat.length - 1]!,
    ...Object.fromEntries(t.heat.map((c, i) => [`heat-${i}`, c])),
  };
  return paint(
    how,
    nodes,
    style(t, {
      problems: (n) => (n.startsWith("marks") ? MARKED : undefined),
      // No entry: no heat colour, which the painters take as the map being off for that box.
      heat: (n) => heatOf[n.name]!,
    }),
  );
}

/** The colour at the middle of the first cell of each kind, in picture pixels. */
function cellColours(picture: Picture, p: PlacedNode, scale: number): Map<CellKind, string> {
  const out = new Map<CellKind, string>();
  for (const row of p.layout.rows)
    row.forEachCell((kind, x, y) => {
      if (out.has(kind)) return;
      const c = picture.at(Math.floor((p.x + x + 3) * scale), Math.floor((p.y + y + 3) * scale));
      if (c) out.set(kind, c);
    });
  return out;
}

for (const how of ["raster", "box"] as const)
  describe(`zoomed-out ${how === "raster" ? "overview raster" : "box drawing"}: composited contrast`, () => {
    for (const t of every) {
      const min = minFor(t);
      const name = `${t.name} theme, ${t.palette} palette`;
      let painted: ReturnType<typeof paint> | undefined;
      const get = () => {
        painted ??= scene(how, t);
        const byName = new Map(painted.placed.map((p) => [p.layout.node.name, p]));
        return { ...painted, node: (n: string) => byName.get(n)! };
      };
      const middle = (g: ReturnType<typeof get>, p: PlacedNode, fy: number) =>
        g.picture.at(Math.floor((p.x + p.width / 2) * g.scale), Math.floor((p.y + fy) * g.scale))!;

      it(`${name}: every slot state ≥ ${min}:1 against the box, and the states apart`, () => {
        const g = get();
        const colours = cellColours(g.picture, g.node("slots"), g.scale);
        assert.deepEqual(
          [...colours.keys()].sort(),
          ["free", "placeholder", "pod", "primary", "warm"],
          "the node shows every kind of slot",
        );
        const low = [...colours]
          .filter(([, c]) => contrastRatio(c, t.boxFill) < min)
          .map(([k, c]) => `${k} ${c}: ${contrastRatio(c, t.boxFill).toFixed(2)}:1`);
        assert.deepEqual(low, []);
        // Slots in a row touch when zoomed out: the empty states must still read as different states.
        const states = (["primary", "warm", "free", "placeholder"] as const).map(
          (k) => [k, colours.get(k)!] as const,
        );
        for (let i = 0; i < states.length; i++)
          for (let j = i + 1; j < states.length; j++) {
            const d = seenDistance(states[i]![1], states[j]![1], null);
            assert.ok(d >= 5, `${states[i]![0]} and ${states[j]![0]} only ${d.toFixed(1)} ΔE00 apart`);
          }
      });

      it(`${name}: a NotReady or cordoned node's header band ≥ ${min}:1 against the box`, () => {
        const g = get();
        for (const n of ["not-ready", "cordoned"]) {
          const band = middle(g, g.node(n), HEADER_H / 3);
          const ratio = contrastRatio(band, t.boxFill);
          assert.ok(ratio >= min, `${n} band ${band}: ${ratio.toFixed(2)}:1`);
        }
      });

      it(`${name}: a thin node's bar (used, warm, room) ≥ ${min}:1 against the box, its parts apart`, () => {
        const g = get();
        const p = g.node("thin");
        const area = p.layout.summary!;
        const w = p.width - 2 * PAD;
        // 15 pod IPs of room on 3 ENIs: 4 used, 4 warm, 7 room, left to right.
        const at = (share: number) =>
          g.picture.at(
            Math.floor((p.x + PAD + share * w) * g.scale),
            Math.floor((p.y + area.y + 2) * g.scale),
          )!;
        const parts = [at(2 / 15), at(6 / 15), at(11 / 15)];
        for (const c of parts)
          assert.ok(contrastRatio(c, t.boxFill) >= min, `${c}: ${contrastRatio(c, t.boxFill).toFixed(2)}:1`);
        assert.ok(
          seenDistance(parts[0]!, parts[1]!, null) >= 5 && seenDistance(parts[1]!, parts[2]!, null) >= 5,
        );
      });

      it(`${name}: every heat step ≥ ${min}:1 against the page and the box`, () => {
        const g = get();
        for (const i of t.heat.keys()) {
          const p = g.node(`heat-${i}`);
          const c = middle(g, p, p.height / 2);
          assert.equal(c, t.heat[i], `step ${i} is drawn as it is`);
          for (const against of [t.background, t.boxFill])
            assert.ok(
              contrastRatio(c, against) >= min,
              `step ${i} ${c} on ${against}: ${contrastRatio(c, against).toFixed(2)}:1`,
            );
        }
      });

      it(`${name}: problem marks ≥ ${min}:1 against every pixel beside them, over cells and over heat`, () => {
        const g = get();
        const marks = new Set(
          (["full", "bad", "warn", "subnetLow", "eniLimit"] as const).map((k) => markFill(t, k)),
        );
        const ratios = new Map<string, number>();
        for (const n of ["marks-cells", "marks-calm", "marks-hot"]) {
          const p = g.node(n);
          const low = new Set<string>();
          let seen = 0;
          const x0 = Math.max(0, Math.floor(p.x * g.scale) - 1);
          const y0 = Math.max(0, Math.floor(p.y * g.scale) - 1);
          for (let y = y0; y <= Math.ceil((p.y + p.height) * g.scale) && y < g.picture.height; y++)
            for (let x = x0; x <= Math.ceil((p.x + p.width) * g.scale) && x < g.picture.width; x++) {
              const c = g.picture.at(x, y);
              if (c === null || !marks.has(c)) continue;
              seen++;
              for (const [dx, dy] of [
                [1, 0],
                [-1, 0],
                [0, 1],
                [0, -1],
              ] as const) {
                const nx = x + dx;
                const ny = y + dy;
                if (nx < 0 || ny < 0 || nx >= g.picture.width || ny >= g.picture.height) continue;
                const beside = g.picture.at(nx, ny) ?? t.background;
                if (marks.has(beside)) continue;
                const pair = `${c}${beside}`;
                let ratio = ratios.get(pair);
                if (ratio === undefined) {
                  ratio = contrastRatio(c, beside);
                  ratios.set(pair, ratio);
                }
                if (ratio < min) low.add(`${n}: ${c} beside ${beside}: ${ratio.toFixed(2)}:1`);
              }
            }
          assert.ok(seen > 0, `${n}: the marks are drawn`);
          assert.deepEqual([...low], []);
        }
      });
    }
  });

describe("the zoomed-out problem marks", () => {
  it("keep a gap of box paper between a mark and the cells or heat it lies on, even at a tenth of a pixel per unit", () => {
    const t = themeFor("light", "standard");
    const kinds: ProblemKind[] = ["waiting-for-ip"];
    const node = t3medium("n", [eni("eni-a", 0, slots(11, 5, 5))]);
    const { picture, placed, scale } = paint(
      "raster",
      [node],
      style(t, { problems: () => kinds, heat: () => t.heat[9]! }),
      0.1,
    );
    const p = placed[0]!;
    const badge = problemMarkRects(p.width, p.height, kinds, false)[0]!;
    // The first pixel below the badge is the box's paper, the next the heat colour.
    const x = Math.floor((p.x + badge.x + badge.w / 2) * scale);
    let y = Math.floor((p.y + badge.y + 1) * scale);
    while (picture.at(x, y) === t.bad) y++;
    assert.equal(picture.at(x, y), t.boxFill);
  });
});
