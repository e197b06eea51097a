// The server's recordings (GET/POST/DELETE /api/recordings): the list, a recording's timeline, the
// topology at a recorded moment; and the page's own link to a moment or a range
// (?replay=<recording>&at=<ms>, optionally &from=<ms>&to=<ms>).
import type { RecordedMoment, RecordingInfo, Timeline, Topology } from "@eni-view/model";
import { refusalText } from "../i18n/serverText.ts";
import { COMPACT_QUERY, readTopology } from "./checkTopology.ts";
import { ApiError, getJson } from "./http.ts";

export type ReplayTopology = Topology & { recorded: RecordedMoment };

export interface ReplayLink {
  recording: string;
  at: number | null;
  from: number | null;
  to: number | null;
}

const ms = (value: string | null): number | null => {
  if (value === null || !/^\d{1,16}$/.test(value)) return null;
  return Number(value);
};

/** The recorded moment (or range) a page was opened at, or null for the live view. */
export function replayFrom(search: string): ReplayLink | null {
  const q = new URLSearchParams(search);
  const recording = q.get("replay");
  if (!recording) return null;
  return { recording, at: ms(q.get("at")), from: ms(q.get("from")), to: ms(q.get("to")) };
}

/** The query string of a link to a moment (and range), keeping the page's token like other links do. */
export function replaySearch(currentSearch: string, link: ReplayLink | null): string {
  const current = new URLSearchParams(currentSearch);
  const next = new URLSearchParams();
  if (link) {
    next.set("replay", link.recording);
    if (link.at !== null) next.set("at", String(Math.round(link.at)));
    if (link.from !== null) next.set("from", String(Math.round(link.from)));
    if (link.to !== null) next.set("to", String(Math.round(link.to)));
  }
  const token = current.get("token");
  if (token) next.set("token", token);
  const text = next.toString();
  return text ? `?${text}` : "";
}

export const recordingsQuery = {
  queryKey: ["recordings"] as const,
  queryFn: async ({ signal }: { signal: AbortSignal }): Promise<RecordingInfo[] | null> => {
    try {
      return (await getJson<{ recordings: RecordingInfo[] }>("/api/recordings", signal)).recordings;
    } catch (e) {
      // A server without a snapshot file (--no-snapshots, --no-record) records nothing: no timeline.
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  },
  refetchInterval: 10_000,
};

export function timelineQuery(id: string, live: boolean) {
  return {
    queryKey: ["timeline", id] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      getJson<Timeline>(`/api/recordings/${encodeURIComponent(id)}/timeline`, signal),
    // A recording still being written grows: its timeline is read again every few seconds.
    refetchInterval: live ? 5_000 : (false as const),
    structuralSharing: false,
  };
}

/** The topology at a recorded change: keyed by the change's time, so scrubbing between two changes asks
 * for nothing new. */
export function momentQuery(id: string, frameT: number) {
  return {
    queryKey: ["moment", id, frameT] as const,
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<ReplayTopology> =>
      readTopology(
        await getJson<unknown>(
          `/api/recordings/${encodeURIComponent(id)}/topology?at=${frameT}&${COMPACT_QUERY}`,
          signal,
        ),
        "the recorded moment",
      ) as ReplayTopology,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
    structuralSharing: false,
    retry: (count: number, error: Error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  };
}

async function send(method: string, path: string, body?: object): Promise<RecordingInfo | null> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : null,
    });
  } catch (e) {
    const detail = (e as Error).message;
    throw new ApiError(0, "unreachable", `cannot reach the eni-view server (${detail})`, { path, detail });
  }
  if (res.status === 204) return null;
  const answer = (await res.json().catch(() => null)) as (RecordingInfo & { message?: string }) | null;
  // The refusal in the page's language, by the key the server sends beside its English.
  if (!res.ok) throw new ApiError(res.status, "recording", refusalText(answer, res.status));
  return answer;
}

export const startRecording = (name: string) =>
  send("POST", "/api/recordings", { name }) as Promise<RecordingInfo>;
export const stopRecording = (id: string) =>
  send("POST", `/api/recordings/${encodeURIComponent(id)}/stop`) as Promise<RecordingInfo>;
export const deleteRecording = (id: string) => send("DELETE", `/api/recordings/${encodeURIComponent(id)}`);
