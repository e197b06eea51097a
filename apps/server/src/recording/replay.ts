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
    throw new RecordingError(400, "bad-request", "notMoment", { value: value.slice(0, 40) });
  return ms;
}

async function frameJson(frame: StoredFrame): Promise<unknown> {
  try {
    return JSON.parse((await gunzip(RecordingStore.data(frame))).toString("utf8"));
  } catch (err) {
    throw new RecordingFileError("frameDamaged", { frame: frame.n, error: (err as Error).message });
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

/** A moment rebuilt: its topology, and its segment's keyframe as decoded (deltas share its objects, so
 * keeping it costs little beside the topology). */
interface Rebuilt {
  recording: string;
  keyN: number;
  key: Topology;
  /** The last frame applied, and its time. */
  n: number;
  t: number;
  topology: Topology;
}

/** The moment each store rebuilt last (one: a big cluster's topology is tens of megabytes). */
const lastRebuilt = new WeakMap<RecordingStore, Rebuilt>();

/** Deltas worth applying rather than decoding a keyframe: at 5,000 nodes a delta applies in a millisecond
 * or two and a keyframe decodes in 100 ms or more (`node bench/run.ts --only recording`). */
const maxDeltasForward = 20;

const deltaOf = async (frame: StoredFrame) => (await frameJson(frame)) as TopologyDelta;

/** The moment `at` from the one rebuilt last when it lies on the way, decoding no keyframe: within the
 * same segment (forwards from that moment, backwards from its keyframe), or forwards across keyframes
 * the recorder wrote in the run of deltas. Null when the way is not open. */
async function rebuildFrom(
  store: RecordingStore,
  id: string,
  at: number,
  frames: { key: StoredFrame; deltas: StoredFrame[] },
  cached: Rebuilt | undefined,
): Promise<Rebuilt | null> {
  if (cached?.recording !== id) return null;
  const last = frames.deltas.at(-1) ?? frames.key;
  if (cached.keyN === frames.key.n) {
    const forward = last.n >= cached.n;
    let topology = forward ? cached.topology : cached.key;
    for (const d of frames.deltas)
      if (!forward || d.n > cached.n) topology = applyDelta(topology, await deltaOf(d));
    return { ...cached, n: last.n, t: last.t, topology };
  }
  if (frames.key.n < cached.n) return null;
  const way = store.framesAfter(id, cached.n, at, maxDeltasForward);
  if (!way) return null;
  let { topology, key, keyN, t } = cached;
  for (const f of way) {
    if (f.kind === "key") {
      // A keyframe written beside the delta that made it (same moment, same seq) shows what the deltas
      // already built; one after a gap (a restart) starts over and has to be decoded.
      if (f.seq !== topology.seq || f.t !== t) return null;
      key = topology;
      keyN = f.n;
    } else topology = applyDelta(topology, await deltaOf(f));
    t = f.t;
  }
  return keyN === frames.key.n ? { recording: id, keyN, key, n: last.n, t: last.t, topology } : null;
}

export async function rebuildAt(
  store: RecordingStore,
  id: string,
  at: number,
  options: { recording?: boolean; now?: number } = {},
): Promise<RecordedTopology> {
  const row = store.row(id);
  if (!row) throw new RecordingError(404, "recording-not-found", "notFound");
  const range = recordingRange(store, id, options.recording === true, options.now ?? Date.now());
  if (!range) throw new RecordingError(416, "moment-out-of-range", "noMomentYet", { name: row.name });
  if (at < range.from || at > range.to)
    throw new RecordingError(416, "moment-out-of-range", "outside", {
      at: new Date(at).toISOString(),
      name: row.name,
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
    });
  const frames = store.framesFor(id, at);
  if (!frames)
    throw new RecordingError(416, "moment-out-of-range", "beforeKeyframe", {
      at: new Date(at).toISOString(),
    });
  const last = frames.deltas.at(-1) ?? frames.key;
  let rebuilt: Rebuilt;
  try {
    // Scrubbing and playing mostly stay near the moment rebuilt last; a keyframe is decoded only when
    // that moment is not on the way, since decoding a big keyframe is most of a cold seek.
    const near = await rebuildFrom(store, id, at, frames, lastRebuilt.get(store));
    if (near) rebuilt = near;
    else {
      const key = decodeTopology(await frameJson(frames.key));
      let topology = key;
      for (const d of frames.deltas) topology = applyDelta(topology, await deltaOf(d));
      rebuilt = { recording: id, keyN: frames.key.n, key, n: last.n, t: last.t, topology };
    }
    lastRebuilt.set(store, rebuilt);
  } catch (err) {
    if (err instanceof RecordingFileError) throw err;
    throw new RecordingFileError("cannotRebuild", { error: (err as Error).message });
  }
  const topology = rebuilt.topology;
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
  if (!recording) throw new RecordingError(404, "recording-not-found", "notFound");
  return { recording, points: store.points(id), events: store.events(id) };
}
