// Which nodes the page asks the overview stream for in detail: those on screen and a margin round them
// (a short pan then finds them in), the open node's, and none when so many boxes are on screen that
// their slots would be a pixel each (the overview's numbers say all there is to see at that zoom).
import type { ClusterLayout } from "../layout/clusterLayout.ts";

/** Most nodes asked for at once: about a screenful of the smallest boxes that still show their slots
 * (the server takes up to 2,000). */
export const MAX_DETAIL_NODES = 1000;
/** The margin round the screen, as a share of its width and height on each side. */
const MARGIN = 0.25;

export interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function nodesToAsk(
  layout: ClusterLayout,
  region: Region | null,
  extra: readonly string[],
  max = MAX_DETAIL_NODES,
): Set<string> {
  const names = new Set<string>();
  // Zoomed far out, the boxes on screen are not even looked up (that would list 100,000 of them).
  const area = region ? (region.x1 - region.x0) * (region.y1 - region.y0) : 0;
  const perBox = (layout.width * layout.height) / Math.max(1, layout.nodes.length);
  if (region && area / perBox <= max * 4) {
    const mx = (region.x1 - region.x0) * MARGIN;
    const my = (region.y1 - region.y0) * MARGIN;
    let boxes = layout.index.within(region.x0 - mx, region.y0 - my, region.x1 + mx, region.y1 + my);
    if (boxes.length > max) boxes = layout.index.within(region.x0, region.y0, region.x1, region.y1);
    if (boxes.length <= max) for (const p of boxes) names.add(p.name);
  }
  for (const name of extra) if (layout.byName.get(name)) names.add(name);
  return names;
}
