// The marks a node box wears for its problems. Each problem has its own place on the box as well as its own
// colour, so they read without telling hues apart and several fit on one box:
//   full            a thick border all round        overcommitted   a stripe down the right edge
//   waiting for IP  a badge in the top-right corner  subnet low      a stripe down the left edge
//   ENI limit       a bar along the bottom           NotReady/cordoned: the header band (nodeStatus)
// Zoomed out (no text) the marks grow to a fixed share of the box, so a box of a few pixels still shows them.
import type { NodeLayout } from "../layout/nodeLayout.ts";
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
  if (kinds.length === 0) return;
  const rects = problemMarkRects(l.width, l.height, kinds, text);
  for (const r of rects) p.rect(r.x, r.y, r.w, r.h, markFill(t, r.color));
  const badge = rects.find((r) => r.color === "bad");
  if (text && badge) {
    const n = l.node.podsWaitingForIp;
    p.text(badge.x + badge.w - 3, badge.y + 10, n > 99 ? "99+" : String(n), badgeFont, t.badgeText, "right");
  }
}
