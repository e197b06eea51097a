// The server's event stream written into the react-query cache: a snapshot replaces the topology, a delta
// is applied to it (structural sharing keeps unchanged nodes' objects, so their drawings are reused), a
// history point is appended. A delta that does not follow the cached seq means events were missed: the
// stream is reopened, and the server answers a fresh connection with a snapshot. The snapshot comes in the
// compact form (model wire.ts): at 5,000 nodes a quarter of the compressed bytes of plain JSON.
// Until the server has read the cluster once it sends only `loading` events (its progress): the page
// keeps whatever picture it has (none on a first load, the last one after a server restart) and calls
// itself live only at the server's `ready` event, which follows the snapshot or the deltas missed.
import type { HistoryPoint, LoadingState, ServerMessage, Topology, TopologyDelta } from "@eni-view/model";
import { applyDelta, isServerKey } from "@eni-view/model";
import type { QueryClient } from "@tanstack/react-query";
import type { ServerWords } from "../i18n/serverText.ts";
import { listenForOverview } from "../overview/overviewEvents.ts";
import { overviewStore } from "../overview/overviewStore.ts";
import { perfStats } from "../perfStats.ts";
import { COMPACT_QUERY, readTopology } from "./checkTopology.ts";
import { ApiError } from "./http.ts";
import { HISTORY_MAX_POINTS, queryKeys } from "./queries.ts";

export type StreamStatus =
  | { state: "connecting" }
  | { state: "loading"; loading: LoadingState }
  | { state: "live"; since: number }
  /** `reason`: a key of the server catalogue, said in the page's language (i18n/serverText.ts). */
  | { state: "down"; since: number; reason: ServerWords };

export interface StreamHandle {
  close(): void;
}

export interface StreamOptions {
  url?: string;
  onStatus: (s: StreamStatus) => void;
  /** Called after each applied snapshot or delta, with the time it took to apply. */
  onApplied?: (kind: "snapshot" | "delta", ms: number, topology: Topology) => void;
}

export function connectStream(client: QueryClient, options: StreamOptions): StreamHandle {
  // view=auto: a cluster past the server's line comes as the overview (../overview), a smaller one whole.
  const url = options.url ?? `/api/stream?${COMPACT_QUERY}&view=auto`;
  let es: EventSource | null = null;
  let closed = false;
  let downSince = 0;
  /** Why the server refused or dropped the stream, kept over the reconnection errors that follow. */
  let serverReason: ServerWords | null = null;

  const open = () => {
    if (closed) return;
    es = new EventSource(url);
    options.onStatus({ state: "connecting" });
    es.onopen = () => {
      downSince = 0;
    };
    es.addEventListener("loading", (ev) => {
      let loading: LoadingState;
      try {
        loading = JSON.parse((ev as MessageEvent<string>).data) as LoadingState;
      } catch {
        return;
      }
      serverReason = null;
      if (typeof loading?.message === "string") options.onStatus({ state: "loading", loading });
    });
    // The server says why it will not (refused) or no longer (dropped) send this page its stream; the
    // browser retries by itself after the `retry` the server set.
    for (const kind of ["refused", "dropped"] as const) {
      es.addEventListener(kind, (ev) => {
        // The server's reason by key and values; a key this page lacks (or an older server's bare
        // words) is shown as the server wrote it; without either the fact alone is still told.
        let reason: ServerMessage | string = { key: "stream.reason.none" };
        try {
          const body = JSON.parse((ev as MessageEvent<string>).data) as Partial<ServerMessage> & {
            reason?: unknown;
          };
          if (typeof body.key === "string" && isServerKey(body.key))
            reason = { key: body.key, values: body.values ?? {} };
          else if (typeof body.reason === "string") reason = body.reason;
        } catch {
          // Unreadable: "no reason given".
        }
        downSince ||= Date.now();
        serverReason = { key: `stream.${kind}`, reason };
        options.onStatus({ state: "down", since: downSince, reason: serverReason });
      });
    }
    es.addEventListener("ready", () => {
      serverReason = null;
      options.onStatus({ state: "live", since: Date.now() });
    });
    es.onerror = () => {
      if (!downSince) downSince = Date.now();
      const reason =
        serverReason ??
        (es?.readyState === EventSource.CLOSED ? { key: "stream.closed" } : { key: "stream.lost" });
      options.onStatus({ state: "down", since: downSince, reason });
      // EventSource retries by itself unless the server refused outright (HTTP error): then retry by hand.
      if (es?.readyState === EventSource.CLOSED) {
        es.close();
        setTimeout(open, 3000);
      }
    };
    listenForOverview(es, {
      client,
      reopen: (reason) => {
        options.onStatus({ state: "down", since: Date.now(), reason });
        es?.close();
        open();
      },
      onApplied: options.onApplied,
    });
    es.addEventListener("snapshot", (ev) => {
      const t0 = performance.now();
      let topology: Topology;
      try {
        topology = readTopology(JSON.parse((ev as MessageEvent<string>).data), "the stream's snapshot");
      } catch (e) {
        options.onStatus({
          state: "down",
          since: Date.now(),
          reason: {
            key: "stream.badData",
            values: { error: e instanceof ApiError && e.detail !== "" ? e.detail : (e as Error).message },
          },
        });
        return;
      }
      client.setQueryData(queryKeys.topology, topology);
      perfStats.dataAt ??= performance.now();
      options.onApplied?.("snapshot", performance.now() - t0, topology);
    });
    es.addEventListener("delta", (ev) => {
      // The overview's deltas are of its thin topology (overviewEvents.ts).
      if (overviewStore.get()) return;
      const t0 = performance.now();
      perfStats.lastDeltaAt = t0;
      const delta = JSON.parse((ev as MessageEvent<string>).data) as TopologyDelta;
      const prev = client.getQueryData<Topology>(queryKeys.topology);
      if (!prev || delta.seq <= prev.seq) return;
      if (delta.seq !== prev.seq + 1) {
        // Missed events: a new connection without Last-Event-ID starts with a snapshot.
        es?.close();
        open();
        return;
      }
      let next: Topology;
      try {
        next = applyDelta(prev, delta);
      } catch (e) {
        // Out of sequence or malformed: start over from a fresh snapshot rather than draw a wrong picture.
        options.onStatus({
          state: "down",
          since: Date.now(),
          reason: {
            key: "stream.deltaFailed",
            values: { error: e instanceof ApiError && e.detail !== "" ? e.detail : (e as Error).message },
          },
        });
        es?.close();
        open();
        return;
      }
      client.setQueryData(queryKeys.topology, next);
      options.onApplied?.("delta", performance.now() - t0, next);
    });
    es.addEventListener("history", (ev) => {
      const point = JSON.parse((ev as MessageEvent<string>).data) as HistoryPoint;
      client.setQueryData<HistoryPoint[]>(queryKeys.history, (prev) => {
        const list = prev ? [...prev, point] : [point];
        return list.length > HISTORY_MAX_POINTS ? list.slice(list.length - HISTORY_MAX_POINTS) : list;
      });
    });
  };
  open();
  return {
    close() {
      closed = true;
      es?.close();
    },
  };
}
