// Rebuilds a recorded moment: the last keyframe at or before it, then each delta up to it, applied the
// way the page applies the live stream's. What comes out is the Topology the server was serving then.
import { promisify } from "node:util";
import { gunzip as gunzipCb } from "node:zlib";
import {
  applyDelta,
  decodeTopology,
  type RecordedTopology,
  type Timeline,
  type Topology,
  type TopologyDelta,
} from "@eni-view/model";
import { RecordingError, RecordingFileError, RecordingStore, type StoredFrame } from "./recordingStore.ts";

const gunzip = promisify(gunzipCb);

/** A moment as the API and the CLI take it: ISO time, or ms since the epoch. */
export function parseMoment(value: string): number {
  const ms = /^\d{10,16}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new RecordingError(
      400,
      "bad-request",
      `"${value.slice(0, 40)}" is not a moment: give an ISO time (2026-12-06T14:03:10Z) or ms since 1970`,
    );
  return ms;
}

async function frameJson(frame: StoredFrame): Promise<unknown> {
  try {
    return JSON.parse((await gunzip(RecordingStore.data(frame))).toString("utf8"));
  } catch (err) {
    throw new RecordingFileError(`frame ${frame.n} of the recording is damaged (${(err as Error).message})`);
  }
}

/** The range a recording can rebuild: its first frame to its last (to now while it records). */
export function recordingRange(
  store: RecordingStore,
  id: string,
  recording: boolean,
  now: number,
): { from: number; to: number } | null {
  const info = store.info(id);
  if (!info?.from || !info.to) return null;
  return {
    from: Date.parse(info.from),
    to: recording ? Math.max(now, Date.parse(info.to)) : Date.parse(info.to),
  };
}

/** The moment each store rebuilt last (one: a big cluster's topology is tens of megabytes). */
const lastRebuilt = new WeakMap<
  RecordingStore,
  { recording: string; keyN: number; n: number; topology: Topology }
>();

export async function rebuildAt(
  store: RecordingStore,
  id: string,
  at: number,
  options: { recording?: boolean; now?: number } = {},
): Promise<RecordedTopology> {
  const row = store.row(id);
  if (!row) throw new RecordingError(404, "recording-not-found", "no such recording (deleted or expired?)");
  const range = recordingRange(store, id, options.recording === true, options.now ?? Date.now());
  if (!range)
    throw new RecordingError(416, "moment-out-of-range", `recording "${row.name}" holds no moment yet`);
  if (at < range.from || at > range.to)
    throw new RecordingError(
      416,
      "moment-out-of-range",
      `${new Date(at).toISOString()} is outside recording "${row.name}", which holds ${new Date(range.from).toISOString()} to ${new Date(range.to).toISOString()}`,
    );
  const frames = store.framesFor(id, at);
  if (!frames)
    throw new RecordingError(
      416,
      "moment-out-of-range",
      `${new Date(at).toISOString()} comes before the recording's first keyframe`,
    );
  let topology: Topology;
  try {
    // Scrubbing and playing move within one keyframe's segment, mostly forwards: start from the moment
    // rebuilt last when it lies on the way, since decoding a big keyframe is most of a seek.
    const cached = lastRebuilt.get(store);
    const reuse =
      cached !== undefined &&
      cached.recording === id &&
      cached.keyN === frames.key.n &&
      (frames.deltas.at(-1)?.n ?? frames.key.n) >= cached.n;
    topology = reuse ? cached.topology : decodeTopology(await frameJson(frames.key));
    for (const d of frames.deltas) {
      if (reuse && d.n <= cached.n) continue;
      topology = applyDelta(topology, (await frameJson(d)) as TopologyDelta);
    }
    const n = frames.deltas.at(-1)?.n ?? frames.key.n;
    lastRebuilt.set(store, { recording: id, keyN: frames.key.n, n, topology });
  } catch (err) {
    if (err instanceof RecordingFileError) throw err;
    throw new RecordingFileError(
      `the recording cannot be rebuilt at that moment (${(err as Error).message})`,
    );
  }
  const last = frames.deltas.at(-1) ?? frames.key;
  const inGap = store.gaps(id).some((g) => g.t <= at && at < g.until);
  return {
    ...topology,
    recorded: {
      recording: id,
      name: row.name,
      at: new Date(at).toISOString(),
      frameAt: new Date(last.t).toISOString(),
      inGap,
    },
  };
}

export function timelineOf(store: RecordingStore, id: string, active: ReadonlySet<string>): Timeline {
  const recording = store.info(id, active);
  if (!recording)
    throw new RecordingError(404, "recording-not-found", "no such recording (deleted or expired?)");
  return { recording, points: store.points(id), events: store.events(id) };
}
