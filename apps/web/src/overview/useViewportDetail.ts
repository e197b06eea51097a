// Keeps the overview stream's node set (POST /api/stream/:id/nodes) on the nodes in view: once a pan or
// zoom has stopped for a moment, and at once for the open node or a jump to a node. Detail of nodes that
// left the set is let go, so what the page holds stays bounded and never goes stale unseen.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import type { ViewRegion } from "../components/ClusterView.tsx";
import type { ClusterLayout } from "../layout/clusterLayout.ts";
import { askNodes } from "./askNodes.ts";
import type { OverviewState } from "./overviewState.ts";
import { overviewStore } from "./overviewStore.ts";
import { nodesToAsk } from "./viewportNodes.ts";

/** A pan is taken as stopped after this long without moving: frames of a drag are not held up by detail
 * arriving, and a zoom to a node still has its detail well within 300 ms. */
const SETTLE_MS = 60;

/** Returns the map's onViewport; does nothing while the page holds the whole cluster, or while another
 * tab than the map's is on screen (`active` false: that tab asks for its own nodes). */
export function useViewportDetail(
  overview: OverviewState | null,
  layout: ClusterLayout | null,
  selected: string | null,
  active = true,
): (region: ViewRegion) => void {
  const client = useQueryClient();
  const region = useRef<ViewRegion | null>(null);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const activeRef = useRef(active);
  activeRef.current = active;
  const timer = useRef(0);

  const ask = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = 0;
    const l = layoutRef.current;
    if (!overviewStore.get() || !l || !activeRef.current) return;
    askNodes(client, nodesToAsk(l, region.current, selectedRef.current ? [selectedRef.current] : []));
  }, [client]);

  // A new overview (a reconnect) knows none of the page's nodes yet; a node opened needs its detail now.
  const stream = overview?.stream ?? null;
  const laidOut = layout !== null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the set is asked again when these change
  useEffect(() => {
    if (stream !== null && laidOut && active) ask();
  }, [stream, laidOut, selected, active, ask]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  return useCallback(
    (r: ViewRegion) => {
      region.current = r;
      if (!overviewStore.get()) return;
      window.clearTimeout(timer.current);
      // A jump (a search match, a problem, a node opened) has landed: ask now, before the frame that draws
      // it there (behind a timer the request waited up to 100 ms for that frame on a loaded machine).
      if (r.jump) ask();
      else timer.current = window.setTimeout(ask, SETTLE_MS);
    },
    [ask],
  );
}
