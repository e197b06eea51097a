// Keeps the overview stream's node set (POST /api/stream/:id/nodes) on the nodes in view: once a pan or
// zoom has stopped for a moment, and at once for the open node or a jump to a node. Detail of nodes that
// left the set is let go, so what the page holds stays bounded and never goes stale unseen.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import { queryKeys } from "../api/queries.ts";
import type { ViewRegion } from "../components/ClusterView.tsx";
import type { ClusterLayout } from "../layout/clusterLayout.ts";
import { type OverviewState, withWanted } from "./overviewState.ts";
import { overviewStore } from "./overviewStore.ts";
import { nodesToAsk } from "./viewportNodes.ts";

/** A pan is taken as stopped after this long without moving: frames of a drag are not held up by detail
 * arriving, and a zoom to a node still has its detail well within 300 ms. */
const SETTLE_MS = 60;

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Returns the map's onViewport; does nothing while the page holds the whole cluster. */
export function useViewportDetail(
  overview: OverviewState | null,
  layout: ClusterLayout | null,
  selected: string | null,
): (region: ViewRegion) => void {
  const client = useQueryClient();
  const region = useRef<ViewRegion | null>(null);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const timer = useRef(0);

  const ask = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = 0;
    const s = overviewStore.get();
    const l = layoutRef.current;
    if (!s || !l) return;
    const names = nodesToAsk(l, region.current, selectedRef.current ? [selectedRef.current] : []);
    if (sameSet(names, s.wanted)) return;
    const next = withWanted(s, names);
    overviewStore.set(next);
    client.setQueryData(queryKeys.topology, next.merged);
    void fetch(`/api/stream/${encodeURIComponent(s.stream)}/nodes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ nodes: [...names] }),
    }).catch(() => {
      // The stream is down: its reconnection brings a new overview, and the set is sent to it again.
    });
  }, [client]);

  // A new overview (a reconnect) knows none of the page's nodes yet; a node opened needs its detail now.
  const stream = overview?.stream ?? null;
  const laidOut = layout !== null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the set is asked again when these change
  useEffect(() => {
    if (stream !== null && laidOut) ask();
  }, [stream, laidOut, selected, ask]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  return useCallback(
    (r: ViewRegion) => {
      region.current = r;
      if (!overviewStore.get()) return;
      window.clearTimeout(timer.current);
      // A jump (a search match, a problem, a node opened) has landed: ask now.
      timer.current = window.setTimeout(ask, r.jump ? 0 : SETTLE_MS);
    },
    [ask],
  );
}
