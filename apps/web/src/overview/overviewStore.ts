// The overview the page holds, if the stream sent one (overviewState.ts), for the hooks that steer it.
import { useSyncExternalStore } from "react";
import type { OverviewState } from "./overviewState.ts";

let current: OverviewState | null = null;
const listeners = new Set<() => void>();

export const overviewStore = {
  get: (): OverviewState | null => current,
  set(next: OverviewState | null): void {
    if (next === current) return;
    current = next;
    for (const l of listeners) l();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** The overview on the page, null while the page holds the whole cluster. */
export function useOverview(): OverviewState | null {
  return useSyncExternalStore(overviewStore.subscribe, overviewStore.get);
}
