// The overview stream's events (server routes/overviewStream.ts) written where the page reads its
// topology: `overview` starts an overview (thin nodes), `delta` moves it, `detail` fills in the nodes the
// page asked for. The merged topology goes into the same cache entry a whole snapshot would, so every part
// of the page draws from one topology whatever the stream sent.
import type { NodeDetail, OverviewTopology, ServerMessage, Topology, TopologyDelta } from "@eni-view/model";
import type { QueryClient } from "@tanstack/react-query";
import { readTopology } from "../api/checkTopology.ts";
import { ApiError, badAnswer } from "../api/http.ts";
import { queryKeys } from "../api/queries.ts";
import { perfStats } from "../perfStats.ts";
import { type OverviewState, startOverview, withDelta, withDetail } from "./overviewState.ts";
import { overviewStore } from "./overviewStore.ts";

export interface OverviewEventOptions {
  client: QueryClient;
  /** The stream missed an event or sent one that cannot be read: start over from a fresh overview. The
   * reason is a key of the server catalogue (the page says it in its language). */
  reopen: (reason: ServerMessage) => void;
  onApplied?: (kind: "snapshot" | "delta", ms: number, topology: Topology) => void;
}

export function listenForOverview(es: EventSource, o: OverviewEventOptions): void {
  const publish = (s: OverviewState) => {
    overviewStore.set(s);
    o.client.setQueryData(queryKeys.topology, s.merged);
  };
  es.addEventListener("overview", (ev) => {
    const t0 = performance.now();
    let state: OverviewState;
    try {
      const body = JSON.parse((ev as MessageEvent<string>).data) as { stream?: unknown; topology?: unknown };
      if (typeof body.stream !== "string")
        throw badAnswer("the stream's overview has no stream id", ["stream"]);
      const thin = readTopology(body.topology, "the stream's overview") as OverviewTopology;
      state = startOverview(body.stream, { ...thin, groups: thin.groups ?? [] });
    } catch (e) {
      o.reopen({
        key: "stream.badData",
        values: { error: e instanceof ApiError && e.detail !== "" ? e.detail : (e as Error).message },
      });
      return;
    }
    publish(state);
    perfStats.dataAt ??= performance.now();
    o.onApplied?.("snapshot", performance.now() - t0, state.merged);
  });
  // A whole snapshot (the cluster went below the line, or a reconnect chose it) ends the overview.
  es.addEventListener("snapshot", () => overviewStore.set(null));
  es.addEventListener("delta", (ev) => {
    const s = overviewStore.get();
    if (!s) return;
    const t0 = performance.now();
    perfStats.lastDeltaAt = t0;
    const delta = JSON.parse((ev as MessageEvent<string>).data) as TopologyDelta;
    if (delta.seq <= s.thin.seq) return;
    if (delta.seq !== s.thin.seq + 1) {
      o.reopen({ key: "stream.missed" });
      return;
    }
    let next: OverviewState;
    try {
      next = withDelta(s, delta);
    } catch (e) {
      o.reopen({
        key: "stream.deltaFailed",
        values: { error: e instanceof ApiError && e.detail !== "" ? e.detail : (e as Error).message },
      });
      return;
    }
    publish(next);
    o.onApplied?.("delta", performance.now() - t0, next.merged);
  });
  es.addEventListener("detail", (ev) => {
    const s = overviewStore.get();
    if (!s) return;
    const t0 = performance.now();
    const detail = JSON.parse((ev as MessageEvent<string>).data) as NodeDetail;
    const next = withDetail(s, detail);
    if (next === s) return;
    // A node's detail drawn is a live update like a delta: the page's counters time it the same way.
    perfStats.lastDeltaAt = t0;
    publish(next);
  });
}
