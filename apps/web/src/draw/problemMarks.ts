// The marks a node box wears for its problems. Each problem has its own place on the box as well as its own
// colour, so they read without telling hues apart and several fit on one box:
//   full            a thick border all round        overcommitted   a stripe down the right edge
//   waiting for IP  a badge in the top-right corner  subnet low      a stripe down the left edge
//   ENI limit       a bar along the bottom           NotReady/cordoned: the header band (nodeTone)
// Zoomed out (no text) the marks grow to a fixed share of the box, so a box of a few pixels still shows them,
// and each wears a keyline of box paper (MARK_HALO) so it keeps its contrast over cells and heat colours.
import type { NodeReport } from "@eni-view/model";
import { HEADER_H } from "../layout/metrics.ts";
import type { NodeLayout } from "../layout/nodeLayout.ts";
import { nodeTone } from "../layout/nodeText.ts";
import type { ProblemKind } from "../layout/problems.ts";
import type { Font, Painter } from "./painter.ts";
import type { Theme } from "./theme.ts";

export type MarkColor = "full" | "bad" | "warn" | "subnetLow" | "eniLimit";

export interface MarkRect {
  x: number;
  y: number;
  w: number;
  h: number;
  color: MarkColor;
}

/** Which theme colour each box-mark problem wears (NotReady and cordoned colour the header band instead). */
export const markColorOf: Partial<Record<ProblemKind, MarkColor>> = {
  full: "full",
  "waiting-for-ip": "bad",
  overcommitted: "warn",
  "subnet-low": "subnetLow",
  "eni-limit": "eniLimit",
};

/** Box-local rectangles for the marks, in drawing order (the badge last, on top). */
export function problemMarkRects(
  width: number,
  height: number,
  kinds: readonly ProblemKind[],
  text: boolean,
): MarkRect[] {
  const has = (k: ProblemKind) => kinds.includes(k);
  const edge = text ? 3 : Math.max(8, Math.round(width * 0.07));
  const stripe = text ? 4 : Math.max(10, Math.round(width * 0.09));
  const out: MarkRect[] = [];
  if (has("full")) {
    out.push({ x: 0, y: 0, w: width, h: edge, color: "full" });
    out.push({ x: 0, y: height - edge, w: width, h: edge, color: "full" });
    out.push({ x: 0, y: 0, w: edge, h: height, color: "full" });
    out.push({ x: width - edge, y: 0, w: edge, h: height, color: "full" });
  }
  const inset = has("full") ? edge : 0;
  if (has("eni-limit"))
    out.push({
      x: inset,
      y: height - inset - stripe / 2,
      w: width - 2 * inset,
      h: stripe / 2,
      color: "eniLimit",
    });
  if (has("subnet-low"))
    out.push({ x: inset, y: inset, w: stripe, h: height - 2 * inset, color: "subnetLow" });
  if (has("overcommitted"))
    out.push({ x: width - inset - stripe, y: inset, w: stripe, h: height - 2 * inset, color: "warn" });
  if (has("waiting-for-ip")) {
    const bw = text ? TEXT_BADGE_W : Math.max(24, Math.round(width * 0.38));
    const bh = text ? 13 : Math.max(20, Math.round(height * 0.3));
    out.push({ x: width - inset - bw, y: inset, w: bw, h: bh, color: "bad" });
  }
  return out;
}

/** Zoomed out the marks lie on pod cells or on the heat colour, any of which can be as dark or as red as the
 * mark. A keyline of box paper this wide (layout units) round each mark keeps it at its contrast against the
 * box whatever lies beneath (WCAG 1.4.11 asks 3:1 against the adjacent colours). */
export const MARK_HALO = 2;

/** Zoomed out, a NotReady or cordoned node's header band is a mark like the others: solid, with its keyline. */
export function statusBandRect(n: NodeReport, width: number): MarkRect | null {
  // The tone alone: its label would be translated for each of 100,000 boxes and never shown.
  const tone = nodeTone(n);
  return tone === "ok" ? null : { x: 0, y: 0, w: width, h: HEADER_H / 2 + 2, color: tone };
}

/** The marks a box wears zoomed out, in drawing order: the status band, then the problems' marks. */
export function zoomedOutMarkRects(
  n: NodeReport,
  width: number,
  height: number,
  kinds: readonly ProblemKind[],
): MarkRect[] {
  const band = statusBandRect(n, width);
  const marks = kinds.length > 0 ? problemMarkRects(width, height, kinds, false) : [];
  return band ? [band, ...marks] : marks;
}

/** `r` grown by `halo` on every side, kept inside the box. */
export function haloOf(r: MarkRect, width: number, height: number, halo: number): MarkRect {
  const x = Math.max(0, r.x - halo);
  const y = Math.max(0, r.y - halo);
  return {
    x,
    y,
    w: Math.min(width, r.x + r.w + halo) - x,
    h: Math.min(height, r.y + r.h + halo) - y,
    color: r.color,
  };
}

const badgeFont: Font = { size: 8.5, weight: 600 };

/** Width of the text-mode badge: the header's status label moves left of it. */
export const TEXT_BADGE_W = 22;

export function markFill(t: Theme, c: MarkColor): string {
  return t[c];
}

/** Paints the marks over a drawn box; with text, the badge carries the number of pods waiting. */
export function drawProblemMarks(
  p: Painter,
  l: NodeLayout,
  kinds: readonly ProblemKind[],
  t: Theme,
  text: boolean,
): void {
  if (!text) {
    const rects = zoomedOutMarkRects(l.node, l.width, l.height, kinds);
    for (const r of rects) {
      const h = haloOf(r, l.width, l.height, MARK_HALO);
      p.rect(h.x, h.y, h.w, h.h, t.boxFill);
    }
    for (const r of rects) p.rect(r.x, r.y, r.w, r.h, markFill(t, r.color));
    return;
  }
  if (kinds.length === 0) return;
  const rects = problemMarkRects(l.width, l.height, kinds, text);
  for (const r of rects) p.rect(r.x, r.y, r.w, r.h, markFill(t, r.color));
  const badge = rects.find((r) => r.color === "bad");
  if (text && badge) {
    const n = l.node.podsWaitingForIp;
    p.text(badge.x + badge.w - 3, badge.y + 10, n > 99 ? "99+" : String(n), badgeFont, t.badgeText, "right");
  }
}
