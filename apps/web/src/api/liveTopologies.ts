// The live topologies the stream writes into the query cache while a plan is asked, by seq. A plan comes as
// its delta against the topology of its `basedOn.seq` (model planDelta.ts): the server takes that seq when
// the plan's turn comes, after the request left, so it is the page's topology of that moment or one the
// stream brings soon after. Only the topologies of that span are kept, and only while a plan is asked
// (each holds its own lists, a few MB at 5,000 nodes).
import type { Topology } from "@eni-view/model";
import { hashKey, type QueryClient } from "@tanstack/react-query";
import { queryKeys } from "./queries.ts";

/** How many seqs are kept at most: a busy cluster's stream moves a few seqs a second. */
const KEPT = 64;

export interface LiveTopologies {
  /** The topology of `seq`: at once when it is kept, else once the stream brings it (waiting up to
   * `waitMs`). Null when it has gone by or does not come in time. */
  at(seq: number, waitMs: number, signal?: AbortSignal): Promise<Topology | null>;
  stop(): void;
}

export function watchLiveTopologies(client: QueryClient): LiveTopologies {
  const seen = new Map<number, Topology>();
  let latest = Number.NEGATIVE_INFINITY;
  const listeners = new Set<() => void>();
  const add = (t: Topology | undefined) => {
    if (t === undefined || seen.has(t.seq)) return;
    seen.set(t.seq, t);
    latest = Math.max(latest, t.seq);
    // Maps iterate in insertion order: the first key is the oldest kept.
    if (seen.size > KEPT) seen.delete(seen.keys().next().value as number);
    for (const l of listeners) l();
  };
  add(client.getQueryData<Topology>(queryKeys.topology));
  const hash = hashKey(queryKeys.topology);
  const unsubscribe = client.getQueryCache().subscribe((event) => {
    if (event.type === "updated" && event.query.queryHash === hash)
      add(event.query.state.data as Topology | undefined);
  });
  return {
    at(seq, waitMs, signal) {
      // Undefined while it may still come (a page just opened at a plan's link waits for its snapshot).
      const now = () => seen.get(seq) ?? (latest > seq ? null : undefined);
      const found = now();
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => {
        const done = (t: Topology | null) => {
          listeners.delete(check);
          clearTimeout(timer);
          signal?.removeEventListener("abort", abort);
          resolve(t);
        };
        const check = () => {
          const t = now();
          if (t !== undefined) done(t);
        };
        const abort = () => done(null);
        const timer = setTimeout(() => done(null), waitMs);
        listeners.add(check);
        signal?.addEventListener("abort", abort);
      });
    },
    stop() {
      unsubscribe();
      listeners.clear();
      seen.clear();
    },
  };
}
