// The overview stream's node set for a view other than the map (the table's rows in view, the node open
// beside the Subnets tab): asked once the list has stopped moving for a moment, as the map asks for its
// boxes, and only while that view is on screen.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { askNodes } from "./askNodes.ts";
import { useOverview } from "./overviewStore.ts";

/** A scroll is taken as stopped after this long without moving (the map's pan waits as long). */
const SETTLE_MS = 60;

export function useRowDetail(active: boolean, names: readonly string[]): void {
  const client = useQueryClient();
  // A new overview (a reconnect) knows none of the page's nodes yet: asked again.
  const stream = useOverview()?.stream ?? null;
  const key = names.join("\n");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is `names` as one comparable value
  useEffect(() => {
    if (!active || stream === null) return;
    const timer = window.setTimeout(() => askNodes(client, new Set(names)), SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [active, stream, key, client]);
}
