// Counters the benchmark and the e2e tests read from the page (window.__eniView): how long the first complete
// drawing and each live update took, and how much bitmap memory the renderer holds. Plain numbers, overwritten
// in place, so a long session does not accumulate anything here.
import type { FrameStats } from "./draw/renderer.ts";

export interface PerfStats {
  frames: number;
  lastFrame: FrameStats | null;
  /** performance.now() when the first topology was in hand, and when it was first completely drawn. */
  dataAt: number | null;
  firstCompleteAt: number | null;
  /** performance.now() when the last delta event arrived, and ms from then to the frame that showed it. */
  lastDeltaAt: number | null;
  lastUpdateMs: number | null;
  updates: number;
  bitmapPixels: number;
  /** The slowest frame drawn so far, to find stalls. */
  slowestFrame: FrameStats | null;
  /** performance.now() when the view was last sent to a search match or a problem, and ms from then to the
   * first complete drawing there. */
  jumpAt: number | null;
  lastJumpMs: number | null;
  /** Moves the view onto a node's box as a search match or a problem would (the benchmark's zoom to a node). */
  zoomToNode?: ((name: string) => void) | null;
  /** On the overview: the node zoomed to whose detail is awaited, since performance.now() `at`... */
  detailWait?: { node: string; at: number } | null;
  /** ...and ms from that zoom to the first complete frame drawing the node whole (its ENIs and pods). */
  lastDetailMs?: number | null;
  /** The current pan/zoom transform. */
  view: { x: number; y: number; k: number } | null;
  /** Viewport (client) coordinates of a pod's (or an IP's) cell or a node's header, for pointer-driven tests; null if not drawn. */
  locate: ((podKeyOrNode: string) => { x: number; y: number } | null) | null;
  /** Viewport rectangle of a node's box, for tests that read the marks drawn on it; null if not laid out. */
  locateBox: ((node: string) => { x: number; y: number; width: number; height: number } | null) | null;
  /** Subnet view: viewport coordinates of an address's cell in the subnet shown; null if not drawn. */
  locateAddress?: ((ip: string) => { x: number; y: number } | null) | null;
  /** Subnet view: ms to colour and draw the last address grid, and how many addresses it had. */
  subnetDrawMs?: number | null;
  /** performance.now() when the last address grid was on the canvas. */
  subnetDrawnAt?: number | null;
  subnetAddresses?: number | null;
}

declare global {
  interface Window {
    __eniView?: PerfStats;
  }
}

export const perfStats: PerfStats = {
  frames: 0,
  lastFrame: null,
  dataAt: null,
  firstCompleteAt: null,
  lastDeltaAt: null,
  lastUpdateMs: null,
  updates: 0,
  bitmapPixels: 0,
  slowestFrame: null,
  jumpAt: null,
  lastJumpMs: null,
  view: null,
  locate: null,
  locateBox: null,
};

if (typeof window !== "undefined") window.__eniView = perfStats;
