// Records what the feed publishes: every delta the server already computes for its viewers, a keyframe
// (the whole topology) at the start and then every so often, the timeline's totals and the events read
// off each change. Always on as a ring bounded by age and size, plus any named recordings someone
// started. Frames wait in memory for at most `flushEveryMs` and are then written in one transaction, so
// a crash loses at most that much; a restart picks the ring (and named recordings) up and marks the gap.
import crypto from "node:crypto";
import { promisify } from "node:util";
import { gzip as gzipCb } from "node:zlib";
import {
  type ClusterInput,
  changeEvents,
  encodeTopology,
  eventWords,
  OwnerCounts,
  type PodInput,
  type RecordingInfo,
  type TimelineEvent,
  type Topology,
  type TopologyDelta,
  timelinePoint,
} from "@eni-view/model";
import type { SourceCounters } from "../sources/source.ts";
import type { TopologyFeed } from "../topologyFeed.ts";
import { type FrameRow, type PodTiming, RecordingError, type RecordingStore } from "./recordingStore.ts";

const gzip = promisify(gzipCb);

export const recordingDefaults = {
  ringMaxBytes: 256 * 1024 * 1024,
  ringMaxAgeMs: 6 * 3600_000,
  namedTtlMs: 30 * 86_400_000,
  keyframeEveryMs: 60_000,
  flushEveryMs: 1000,
  /** A ring or recording whose writer has not written for this long is taken over by the next start. */
  staleMs: 15_000,
};

export interface RecorderOptions {
  /** Keep the always-on ring (default true); `record --out FILE` keeps only its named recording. */
  ring?: boolean;
  ringMaxBytes?: number;
  ringMaxAgeMs?: number;
  namedTtlMs?: number;
  keyframeEveryMs?: number;
  flushEveryMs?: number;
  now?: () => number;
}

type Pending =
  | { kind: "delta"; t: number; delta: TopologyDelta; topology: Topology }
  | { kind: "key"; t: number; topology: Topology; only?: string };

const maxNameLength = 120;

/** A recording's name as someone typed it: one line of printable text. */
export function checkRecordingName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "")
    throw new RecordingError(400, "bad-request", "needsName");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (name.length > maxNameLength || /[\u0000-\u001f\u007f]/.test(name))
    throw new RecordingError(400, "bad-request", "nameTooLong", { max: maxNameLength });
  return name.trim();
}

function watchRestarts(counters: SourceCounters): Map<string, number> {
  return new Map(Object.entries(counters.watchRestarts));
}

export class Recorder {
  readonly store: RecordingStore;
  private readonly feed: TopologyFeed;
  private readonly ringEnabled: boolean;
  readonly ringMaxBytes: number;
  readonly ringMaxAgeMs: number;
  private readonly namedTtlMs: number;
  private readonly keyframeEveryMs: number;
  private readonly flushEveryMs: number;
  private readonly now: () => number;
  private ringId: string | null = null;
  private readonly active = new Set<string>();
  private pending: Pending[] = [];
  private events: TimelineEvent[] = [];
  private pods: PodTiming[] = [];
  private podIndex: { input: ClusterInput | null; byKey: Map<string, PodInput> } = {
    input: null,
    byKey: new Map(),
  };
  private readonly owners = new OwnerCounts();
  private lastKeyT = Number.NEGATIVE_INFINITY;
  private deltaBytesSinceKey = 0;
  private lastKeyBytes = 0;
  private restarts: Map<string, number>;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private unobserve: (() => void) | null = null;
  private closed = false;
  /** The next write tells scale steps still moving as they stand (a recording stops, the server stops). */
  private settleAll = false;
  /** Bytes per recording written since its last trim check. */
  private ringBytes = 0;
  private lastTrimCheck = 0;

  private constructor(feed: TopologyFeed, store: RecordingStore, options: RecorderOptions) {
    this.feed = feed;
    this.store = store;
    this.ringEnabled = options.ring ?? true;
    this.ringMaxBytes = options.ringMaxBytes ?? recordingDefaults.ringMaxBytes;
    this.ringMaxAgeMs = options.ringMaxAgeMs ?? recordingDefaults.ringMaxAgeMs;
    this.namedTtlMs = options.namedTtlMs ?? recordingDefaults.namedTtlMs;
    this.keyframeEveryMs = options.keyframeEveryMs ?? recordingDefaults.keyframeEveryMs;
    this.flushEveryMs = options.flushEveryMs ?? recordingDefaults.flushEveryMs;
    this.now = options.now ?? Date.now;
    this.restarts = watchRestarts(feed.source.counters());
  }

  /** Starts recording the feed: takes over the ring (and named recordings) a previous run left, marking
   * the time between as a gap, and writes a keyframe of the present. */
  static async start(
    feed: TopologyFeed,
    store: RecordingStore,
    options: RecorderOptions = {},
  ): Promise<Recorder> {
    const r = new Recorder(feed, store, options);
    const now = r.now();
    store.expire(now);
    store.dropAbandonedRings(now, r.ringMaxAgeMs);
    const resumed: string[] = [];
    if (r.ringEnabled) {
      const orphan = store.orphanRing(now, recordingDefaults.staleMs);
      if (orphan && orphan.source === feed.source.kind) {
        r.ringId = orphan.id;
        resumed.push(orphan.id);
      } else {
        r.ringId = `ring-${crypto.randomBytes(6).toString("base64url")}`;
        store.create({
          id: r.ringId,
          name: "ring",
          kind: "ring",
          source: feed.source.kind,
          startedAt: now,
          expiresAt: null,
        });
      }
      r.active.add(r.ringId);
    }
    for (const row of store.orphanNamed(now, recordingDefaults.staleMs)) {
      if (row.source !== feed.source.kind) continue;
      resumed.push(row.id);
      r.active.add(row.id);
    }
    for (const id of resumed) {
      store.adopt(id, now);
      const last = store.lastFrame(id);
      if (last) {
        const seconds = Math.round((now - last.t) / 1000);
        store.append(
          [
            {
              recording: id,
              frames: [],
              events: [
                { t: last.t, kind: "gap", subject: "", ...eventWords("gap", { seconds }), until: now },
              ],
            },
          ],
          now,
        );
      }
    }
    if (r.ringId) r.ringBytes = store.bytes(r.ringId);
    const current = feed.topology();
    r.owners.reset(current);
    // A keyframe is dated when its topology was made: that is the moment it shows.
    r.pending.push({ kind: "key", t: Date.parse(current.generatedAt), topology: current });
    r.unobserve = feed.observe((prev, next, delta) => r.changed(prev, next, delta));
    await r.flush();
    r.timer = setInterval(() => void r.flush(), r.flushEveryMs);
    r.timer.unref();
    return r;
  }

  /** The recordings being written now. */
  activeIds(): ReadonlySet<string> {
    return this.active;
  }

  get ring(): string | null {
    return this.ringId;
  }

  private changed(prev: Topology, next: Topology, delta: TopologyDelta): void {
    if (this.closed) return;
    const t = Date.parse(next.generatedAt);
    this.pending.push({ kind: "delta", t, delta, topology: next });
    // The first data after start tells of nothing happening: the pods and ENIs were there before
    // eni-view looked.
    if (prev.nodes.length === 0 && prev.pods.length === 0) this.owners.reset(next);
    else {
      this.owners.observe(t, next);
      this.events.push(...changeEvents(prev, next, t, delta));
      this.notePodTimings(t, delta);
    }
    if (
      t - this.lastKeyT >= this.keyframeEveryMs ||
      // A burst of big deltas: rebuilding from the last keyframe would replay more than a keyframe's worth.
      (this.lastKeyBytes > 0 && this.deltaBytesSinceKey > 4 * this.lastKeyBytes)
    ) {
      this.pending.push({ kind: "key", t, topology: next });
      this.lastKeyT = t;
      this.deltaBytesSinceKey = 0;
    }
  }

  /** For each pod that just got its IP, when it was scheduled and had its network, from its conditions. */
  private notePodTimings(t: number, delta: TopologyDelta): void {
    const placed = delta.pods?.upsert;
    if (!placed || placed.length === 0) return;
    const input = this.feed.source.snapshot().input;
    if (input !== this.podIndex.input) {
      const byKey = new Map<string, PodInput>();
      for (const p of input?.pods ?? []) byKey.set(`${p.namespace}/${p.name}`, p);
      this.podIndex = { input, byKey };
    }
    const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
    for (const pod of placed) {
      const key = `${pod.namespace}/${pod.name}`;
      const raw = this.podIndex.byKey.get(key);
      this.pods.push({
        pod: key,
        node: pod.node,
        scheduledAt: ms(raw?.scheduledAt),
        networkAt: ms(raw?.networkReadyAt),
        seenAt: t,
      });
    }
  }

  /** Writes what waits in memory (with `settle`, scale steps still moving too). Concurrent calls share
   * one write. */
  flush(settle = false): Promise<void> {
    if (settle) this.settleAll = true;
    if (this.flushing) return this.flushing;
    this.flushing = this.write().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const now = this.now();
    this.noteWatchDrops(now);
    const settle = this.settleAll || this.closed;
    this.settleAll = false;
    const events = [...this.events.splice(0), ...this.owners.settled(now, settle)];
    const items = this.pending.splice(0);
    const pods = this.pods.splice(0);
    if (items.length === 0 && events.length === 0 && pods.length === 0) return;
    const frames: (FrameRow & { only?: string })[] = [];
    for (const item of items) {
      const json =
        item.kind === "key" ? JSON.stringify(encodeTopology(item.topology)) : JSON.stringify(item.delta);
      const data = await gzip(json, { level: item.kind === "key" ? 4 : 6 });
      if (item.kind === "key") {
        this.lastKeyBytes = data.byteLength;
        if (item.only === undefined) this.lastKeyT = Math.max(this.lastKeyT, item.t);
      } else this.deltaBytesSinceKey += data.byteLength;
      frames.push({
        t: item.t,
        kind: item.kind,
        seq: item.topology.seq,
        data,
        point: timelinePoint(item.t, item.topology),
        only: item.kind === "key" ? item.only : undefined,
      });
    }
    const batches = [...this.active].map((recording) => ({
      recording,
      frames: frames.filter((f) => f.only === undefined || f.only === recording),
      events,
      pods,
    }));
    // A named recording started since the items were queued begins at its own keyframe.
    for (const b of batches) {
      const first = b.frames.findIndex((f) => f.kind === "key");
      if (first > 0 && this.store.lastFrame(b.recording) === null) b.frames = b.frames.slice(first);
    }
    this.store.append(batches, now);
    if (this.ringId) {
      this.ringBytes += frames.reduce((sum, f) => sum + f.data.byteLength, 0);
      this.trimRing(now);
    }
  }

  private trimRing(now: number): void {
    const ring = this.ringId;
    if (!ring) return;
    const overAge = now - this.lastTrimCheck >= 10_000;
    if (this.ringBytes <= this.ringMaxBytes && !overAge) return;
    this.lastTrimCheck = now;
    this.store.trim(ring, this.ringMaxBytes, now - this.ringMaxAgeMs);
    this.ringBytes = this.store.bytes(ring);
    // One segment alone over the bound: the next change starts a new one, so the next trim can drop it.
    if (this.ringBytes > this.ringMaxBytes) this.lastKeyT = Number.NEGATIVE_INFINITY;
  }

  /** A watch restart counted by the source since the last look (dropped, quiet or 410 Gone). */
  private noteWatchDrops(now: number): void {
    const counts = watchRestarts(this.feed.source.counters());
    for (const [key, n] of counts) {
      const before = this.restarts.get(key) ?? 0;
      if (n > before) {
        const [resource, reason] = key.split("/");
        this.events.push({
          t: now,
          kind: "watch-dropped",
          subject: resource ?? key,
          ...watchDropWords(resource ?? key, reason, n - before),
        });
      }
    }
    this.restarts = counts;
  }

  /** Starts a named recording of the present onwards. */
  async startNamed(name: string, ttlMs = this.namedTtlMs): Promise<RecordingInfo> {
    const checked = checkRecordingName(name);
    const now = this.now();
    const id = crypto.randomBytes(12).toString("base64url");
    this.store.create({
      id,
      name: checked,
      kind: "named",
      source: this.feed.source.kind,
      startedAt: now,
      expiresAt: now + ttlMs,
    });
    this.active.add(id);
    const current = this.feed.topology();
    this.pending.push({
      kind: "key",
      t: Date.parse(current.generatedAt),
      topology: current,
      only: id,
    });
    await this.flush();
    return this.store.info(id, this.active)!;
  }

  /** Stops a named recording; it stays until deleted or past its expiry. */
  async stopNamed(id: string): Promise<RecordingInfo> {
    const row = this.store.row(id);
    if (!row) throw new RecordingError(404, "recording-not-found", "notFound");
    if (row.kind === "ring") throw new RecordingError(409, "ring-always-on", "ringAlwaysOn");
    // A step still settling when the recording stops belongs to it.
    await this.flushing;
    await this.flush(true);
    this.active.delete(id);
    this.store.stop(id, this.now());
    return this.store.info(id, this.active)!;
  }

  /** Deletes a recording and frees its space; deleting the ring clears it and it starts again. */
  async delete(id: string): Promise<boolean> {
    await this.flush();
    const wasRing = id === this.ringId;
    this.active.delete(id);
    const deleted = this.store.delete(id);
    if (wasRing && deleted) {
      const now = this.now();
      this.ringId = `ring-${crypto.randomBytes(6).toString("base64url")}`;
      this.store.create({
        id: this.ringId,
        name: "ring",
        kind: "ring",
        source: this.feed.source.kind,
        startedAt: now,
        expiresAt: null,
      });
      this.active.add(this.ringId);
      this.ringBytes = 0;
      const current = this.feed.topology();
      this.pending.push({
        kind: "key",
        t: Date.parse(current.generatedAt),
        topology: current,
        only: this.ringId,
      });
      await this.flush();
    }
    return deleted;
  }

  /** Writes what is left and lets go of the recordings (the next start picks them up). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.unobserve?.();
    await this.flushing;
    await this.flush();
    for (const id of this.active) this.store.release(id);
  }
}

const restartReasons = new Set(["gone", "closed", "quiet", "error"]);

/** "pods, restarted (gone) ×2", with the key a page says it with when the reason is one it knows. */
function watchDropWords(resource: string, reason: string | undefined, times: number) {
  const values = { resource, times: times > 1 ? ` ×${times}` : "" };
  if (reason !== undefined && restartReasons.has(reason)) return eventWords(`watchDropped.${reason}`, values);
  return { text: `${resource}, restarted (${reason ?? "?"})${values.times}` };
}
