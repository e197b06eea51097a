// Pure geometry and stepping of the recording timeline: which recorded change shows at a moment, the
// changes before and after it, and the step lines of the totals, scaled to a width. No DOM here.
import type { TimelineEvent, TimelinePoint } from "@eni-view/model";

/** Index of the last point at or before `at` (the change on screen then), -1 before the first. */
export function frameIndex(points: readonly TimelinePoint[], at: number): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.t <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The moment of the next recorded change after `at`, or null at the last. */
export function nextChange(points: readonly TimelinePoint[], at: number): number | null {
  const i = frameIndex(points, at);
  return points[i + 1]?.t ?? null;
}

/** The moment of the change before the one on screen at `at`, or null at the first. */
export function previousChange(points: readonly TimelinePoint[], at: number): number | null {
  const i = frameIndex(points, at);
  if (i <= 0) return null;
  // Several changes can share a millisecond: step to the last one of the earlier time.
  let j = i - 1;
  while (j > 0 && points[j]!.t === points[i]!.t) j--;
  return points[j]!.t === points[i]!.t ? null : points[j]!.t;
}

export type Series = "running" | "pending" | "ipsAssigned" | "ipsUsed" | "ipsWarm" | "enis" | "subnetFree";

export const timelineSeries: { key: Series; label: string }[] = [
  { key: "running", label: "running" },
  { key: "pending", label: "pending" },
  { key: "ipsAssigned", label: "IPs assigned" },
  { key: "ipsUsed", label: "IPs used" },
  { key: "ipsWarm", label: "IPs warm" },
  { key: "enis", label: "ENIs" },
  { key: "subnetFree", label: "subnet free" },
];

export interface Frame {
  from: number;
  to: number;
  width: number;
  height: number;
}

export const xOf = (t: number, f: Frame): number =>
  f.to > f.from ? ((t - f.from) / (f.to - f.from)) * f.width : 0;

export const tOf = (x: number, f: Frame): number =>
  Math.round(f.from + (Math.max(0, Math.min(f.width, x)) / Math.max(1, f.width)) * (f.to - f.from));

/** SVG path data of one total as a step line (a value holds until the next change), each series scaled
 * to its own maximum so that pods (tens) and free subnet addresses (thousands) both read. At most one
 * vertex pair per pixel: a day of changes costs the same as a minute. */
export function stepPath(
  points: readonly TimelinePoint[],
  key: Series,
  f: Frame,
): { d: string; max: number } {
  let max = 0;
  for (const p of points) if (p[key] > max) max = p[key];
  const y = (v: number) => (f.height - 2 - (max > 0 ? v / max : 0) * (f.height - 4)).toFixed(1);
  let d = "";
  let lastX = Number.NaN;
  let lastY = "";
  for (const p of points) {
    const x = Math.round(xOf(Math.max(p.t, f.from), f) * 2) / 2;
    if (x > f.width) break;
    const py = y(p[key]);
    if (d === "") d = `M${x},${py}`;
    else if (py !== lastY) d += x === lastX ? `V${py}` : `H${x}V${py}`;
    lastX = x;
    lastY = py;
  }
  if (d !== "") d += `H${f.width}`;
  return { d, max };
}

/** Events near a pixel column, for the marks' hover titles and clicks. */
export function eventsNear(events: readonly TimelineEvent[], x: number, f: Frame, px = 4): TimelineEvent[] {
  return events.filter((e) => Math.abs(xOf(e.t, f) - x) <= px);
}

/** Where a playing timeline is after `elapsedMs` of wall time at `speed`, and whether it reached the end. */
export function advance(
  at: number,
  elapsedMs: number,
  speed: number,
  end: number,
): { at: number; ended: boolean } {
  const next = at + elapsedMs * speed;
  return next >= end ? { at: end, ended: true } : { at: next, ended: false };
}

export const playSpeeds = [1, 2, 5, 10, 30, 60] as const;

/** "14:03:10.250" in the page's time zone: a moment on the timeline to the quarter second. */
export function momentLabel(t: number): string {
  const d = new Date(t);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
