// Sets the overview stream's node set (POST /api/stream/:id/nodes) to the nodes a view of the page shows:
// the map's boxes in view, or the table's rows in view. One set per stream; the view on screen owns it.
import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "../api/queries.ts";
import { withWanted } from "./overviewState.ts";
import { overviewStore } from "./overviewStore.ts";

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Asks for the detail of `names` and lets go of the rest; nothing while the page holds the whole cluster. */
export function askNodes(client: QueryClient, names: ReadonlySet<string>): void {
  const s = overviewStore.get();
  if (!s || sameSet(names, s.wanted)) return;
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
}
