// Shared links and frozen snapshots. A page opened at /?snapshot=<id> shows that stored topology instead
// of the live one; a page opened with ?token=… (a server started with --auth-token) keeps the token in
// every link it hands out, so the link still works for the person it is sent to. The token itself reaches
// the server through the HttpOnly cookie it set on the first visit; the page never sends it otherwise.
import type { Topology } from "@eni-view/model";
import { t } from "../i18n/i18n.ts";
import { refusalText } from "../i18n/serverText.ts";
import { checkTopology } from "./checkTopology.ts";
import { ApiError, getJson } from "./http.ts";

export interface FrozenInfo {
  id: string;
  frozenAt: string;
  expiresAt: string;
  /** The kind of source the view was frozen from: "cluster", "sim" or "dump". */
  from: string;
}

/** A frozen view; `plan` when a plan was frozen with it (model PlanReply, read by api/plan.ts). */
export type FrozenTopology = Topology & { frozen?: FrozenInfo; plan?: unknown };

/** The answer to POST /api/snapshots. */
export interface FreezeResult extends FrozenInfo {
  /** Path of the permalink on this server ("/?snapshot=<id>"). */
  url: string;
}

/** The snapshot a page was opened at, or null for the live view. A malformed id is returned as it is: the
 * server's 404 explains it, and the request encodes it, so it cannot leave the snapshot API's path. */
export function snapshotIdFrom(search: string): string | null {
  return new URLSearchParams(search).get("snapshot");
}

/** The page's own query string for links it hands out: the snapshot (when given) and the token (when the
 * page was opened with one), nothing else. */
export function shareSearch(currentSearch: string, snapshot: string | null): string {
  const current = new URLSearchParams(currentSearch);
  const next = new URLSearchParams();
  if (snapshot) next.set("snapshot", snapshot);
  const token = current.get("token");
  if (token) next.set("token", token);
  const text = next.toString();
  return text ? `?${text}` : "";
}

export function snapshotQuery(id: string) {
  return {
    queryKey: ["snapshot", id] as const,
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<FrozenTopology> =>
      checkTopology(
        await getJson<unknown>(`/api/snapshots/${encodeURIComponent(id)}`, signal),
        "the snapshot",
      ) as FrozenTopology,
    // A snapshot never changes; a 404 will not turn into a 200 by asking again.
    staleTime: Number.POSITIVE_INFINITY,
    retry: (count: number, error: Error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    structuralSharing: false,
  };
}

/** Asks the server to freeze its current (live) view, and with it a plan (its query) when given: the
 * server plans it again and keeps its own answer beside the view. */
export async function freezeView(plan: string | null = null): Promise<FreezeResult> {
  let res: Response;
  const url = plan === null ? "/api/snapshots" : `/api/snapshots?plan=${encodeURIComponent(plan)}`;
  try {
    res = await fetch(url, { method: "POST", headers: { accept: "application/json" } });
  } catch (e) {
    throw new ApiError(0, "unreachable", t("freeze.unreachable", { error: (e as Error).message }));
  }
  const body = (await res.json().catch(() => null)) as (FreezeResult & { message?: string }) | null;
  if (res.status === 404) {
    throw new ApiError(404, "freeze", t("freeze.unavailable"));
  }
  if (!res.ok || !body?.id) {
    throw new ApiError(res.status, "freeze", t("freeze.failed", { reason: refusalText(body, res.status) }));
  }
  return body;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
