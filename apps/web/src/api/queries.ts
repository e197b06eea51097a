// Query keys and fetchers: the single place that names the cache entries the stream writes into.
import type { HistoryPoint } from "@eni-view/model";
import { perfStats } from "../perfStats.ts";
import { COMPACT_QUERY, readTopology } from "./checkTopology.ts";
import { badAnswer, getJson } from "./http.ts";

export const queryKeys = {
  topology: ["topology"] as const,
  history: ["history"] as const,
  version: ["version"] as const,
};

export const topologyQuery = {
  queryKey: queryKeys.topology,
  queryFn: async ({ signal }: { signal: AbortSignal }) => {
    const t = readTopology(await getJson<unknown>(`/api/topology?${COMPACT_QUERY}`, signal), "/api/topology");
    // Where "time to first drawing" starts for the benchmark: the data is in hand.
    perfStats.dataAt ??= performance.now();
    return t;
  },
  // The stream keeps it fresh; refetching on focus would replace a live view with an older snapshot race.
  staleTime: Number.POSITIVE_INFINITY,
  // applyDelta already keeps unchanged objects; react-query's deep compare of 150,000 pods would cost ~20 ms a delta.
  structuralSharing: false,
};

export const historyQuery = {
  queryKey: queryKeys.history,
  queryFn: async ({ signal }: { signal: AbortSignal }) =>
    historyPoints(await getJson<unknown>("/api/history", signal)),
  staleTime: 60_000,
};

export interface ServerVersion {
  version: string;
  /** null when the server does not know the commit it was built from. */
  commit: string | null;
}

/** The running server's version and commit, for the footer; it does not change while the page is open. */
export const versionQuery = {
  queryKey: queryKeys.version,
  queryFn: async ({ signal }: { signal: AbortSignal }): Promise<ServerVersion> => {
    const body = await getJson<Partial<ServerVersion> | null>("/api/version", signal);
    if (typeof body?.version !== "string" || !(typeof body.commit === "string" || body.commit === null))
      throw badAnswer("/api/version answered without a version and commit", ["version", "commit"]);
    return { version: body.version, commit: body.commit };
  },
  staleTime: Number.POSITIVE_INFINITY,
};

/** History points kept in the page: 10 hours at one point per 15 s refresh. */
export const HISTORY_MAX_POINTS = 2400;

/** The server answers `{ minutes, points }`; a bare array is accepted too. Anything else is reported, not drawn. */
export function historyPoints(body: unknown): HistoryPoint[] {
  const points = Array.isArray(body) ? body : (body as { points?: unknown } | null)?.points;
  if (!Array.isArray(points)) throw badAnswer("/api/history answered without a list of points", ["points"]);
  return points as HistoryPoint[];
}
