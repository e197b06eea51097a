// How a thin node (the overview's, no ENIs in hand) is drawn from its numbers: one bar of its pod IP room,
// split into IPs pods use, warm IPs, and room its ENIs (attached and still attachable) could take; and,
// while its detail is on the way, three dots. Shared by the box bitmaps and the zoomed-out raster.
import type { NodeReport } from "@eni-view/model";

export interface ThinBar {
  /** Shares of the bar's length, adding up to 1 (all 0 when the node has no pod IP room at all). */
  used: number;
  warm: number;
  room: number;
}

export function thinBar(n: NodeReport): ThinBar {
  const enis = (n.omitted?.enis ?? n.enis.length) + Math.max(0, n.eniSlotsFree);
  const perEni = n.capacity.podIpsPerEni;
  const total = Math.max(n.ipsAssigned, n.ipsUsed + n.ipsWarm, perEni === null ? 0 : enis * perEni);
  if (total <= 0) return { used: 0, warm: 0, room: 0 };
  const used = n.ipsUsed / total;
  const warm = n.ipsWarm / total;
  return { used, warm, room: Math.max(0, 1 - used - warm) };
}

/** The loading mark's dots: box-local centres, for a summary area at `y` of height `h` in a box `w` wide. */
export function loadingDots(w: number, y: number, h: number): { x: number; y: number; r: number }[] {
  const r = Math.max(1.5, Math.min(3, h / 8));
  const cy = y + h - r * 2 - 1;
  const cx = w / 2;
  return [-1, 0, 1].map((i) => ({ x: cx + i * r * 3, y: cy, r }));
}
