// Recordings of the topology over time, in SQLite (node:sqlite, WAL): the Freeze store's file when the
// server records, or a file of its own (`eni-view record --out FILE`), in the same tables either way.
// A recording is a run of frames: a keyframe (the whole topology, in the compact wire form) and the
// deltas the server published after it, each with the totals the timeline draws, plus the events read
// off them. Every keyframe starts a segment that can be rebuilt without what came before, so the ring
// is trimmed a segment at a time from its oldest end.
import { chmodSync, existsSync, statSync } from "node:fs";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type {
  RecordingInfo,
  ServerValues,
  TimelineEvent,
  TimelineEventKind,
  TimelinePoint,
} from "@eni-view/model";
import { SaidError } from "../saidError.ts";

/** The layout of the tables below; a file with a higher number was written by a newer eni-view. */
export const RECORDING_FORMAT = 1;

/** A recording file or database that cannot be read as one: the user's to fix (exit 2), nothing written. */
export class RecordingFileError extends SaidError {
  readonly code = "recording-file";
  constructor(key: string, values: ServerValues = {}) {
    super(`recordingFile.${key}`, values);
    this.name = "RecordingFileError";
  }
}

/** A request about a recording the store refuses; `status` is the HTTP status the route answers with. */
export class RecordingError extends SaidError {
  readonly status: number;
  readonly code: string;
  /** `key` names the words in the catalogue's "recording" section (a duration's, "duration.invalid", whole). */
  constructor(status: number, code: string, key: string, values: ServerValues = {}) {
    super(key.includes(".") ? key : `recording.${key}`, values);
    this.name = "RecordingError";
    this.status = status;
    this.code = code;
  }
}

export type FrameKind = "key" | "delta";

export interface FrameRow {
  t: number;
  kind: FrameKind;
  seq: number;
  /** gzip of the JSON: a CompactTopology for a keyframe, a TopologyDelta otherwise. */
  data: Uint8Array;
  point: TimelinePoint;
}

/** A pod as it got its IP: when it was scheduled and when its sandbox had its network (the pod's own
 * conditions, second resolution), and when the recording first saw it with its IP. */
export interface PodTiming {
  pod: string;
  node: string;
  scheduledAt: number | null;
  networkAt: number | null;
  seenAt: number;
}

export interface StoredFrame {
  n: number;
  t: number;
  kind: FrameKind;
  seq: number;
  data: Uint8Array;
}

interface RecordingRow {
  id: string;
  name: string;
  kind: "ring" | "named";
  source: string;
  started_at: number;
  stopped_at: number | null;
  expires_at: number | null;
  owner_pid: number | null;
  heartbeat_at: number | null;
}

const schema = `
  CREATE TABLE IF NOT EXISTS recording_format (version INTEGER NOT NULL) STRICT;
  CREATE TABLE IF NOT EXISTS recordings (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    stopped_at INTEGER,
    expires_at INTEGER,
    owner_pid INTEGER,
    heartbeat_at INTEGER
  ) STRICT;
  CREATE TABLE IF NOT EXISTS recording_frames (
    recording TEXT NOT NULL,
    n INTEGER NOT NULL,
    t INTEGER NOT NULL,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    data BLOB NOT NULL,
    running INTEGER NOT NULL,
    pending INTEGER NOT NULL,
    ips_assigned INTEGER NOT NULL,
    ips_used INTEGER NOT NULL,
    ips_warm INTEGER NOT NULL,
    enis INTEGER NOT NULL,
    subnet_free INTEGER NOT NULL,
    PRIMARY KEY (recording, n)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS recording_frames_t ON recording_frames (recording, t);
  CREATE INDEX IF NOT EXISTS recording_frames_keys ON recording_frames (recording, kind, t);
  CREATE TABLE IF NOT EXISTS recording_events (
    recording TEXT NOT NULL,
    t INTEGER NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    text TEXT NOT NULL,
    extra TEXT
  ) STRICT;
  CREATE INDEX IF NOT EXISTS recording_events_t ON recording_events (recording, t);
  CREATE TABLE IF NOT EXISTS recording_pods (
    recording TEXT NOT NULL,
    pod TEXT NOT NULL,
    node TEXT NOT NULL,
    scheduled_at INTEGER,
    network_at INTEGER,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (recording, pod, seen_at)
  ) STRICT;`;

const bytesOf = (d: Uint8Array): Buffer => Buffer.from(d.buffer, d.byteOffset, d.byteLength);

export interface OpenOptions {
  /** Refuse to create the file or the tables (reading a recording file). */
  readOnly?: boolean;
}

export class RecordingStore {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.db = db;
  }

  /** Opens (or creates) the tables in `path`. A file that is not SQLite, is damaged, or was written by a
   * newer eni-view is refused with a RecordingFileError, and nothing is written to it. */
  static async open(path: string, options: OpenOptions = {}): Promise<RecordingStore> {
    const { DatabaseSync } = await import("node:sqlite");
    if (options.readOnly && !existsSync(path)) throw new RecordingFileError("noSuchFile", { path });
    const fresh = !existsSync(path);
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path, { timeout: 5000, readOnly: options.readOnly === true });
      // Reading the header and the schema finds a file that is not SQLite at all.
      db.prepare("SELECT count(*) FROM sqlite_master").get();
    } catch (err) {
      throw new RecordingFileError("notRecording", { path, error: (err as Error).message });
    }
    if (fresh) chmodSync(path, 0o600);
    const store = new RecordingStore(path, db);
    try {
      store.checkFormat(options.readOnly === true);
    } catch (err) {
      db.close();
      if (err instanceof RecordingFileError) throw err;
      throw new RecordingFileError("damaged", { path, error: (err as Error).message });
    }
    return store;
  }

  private checkFormat(readOnly: boolean): void {
    const hasTable = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'recording_format'")
      .get();
    if (hasTable) {
      const row = this.db.prepare("SELECT max(version) AS v FROM recording_format").get() as {
        v: number | null;
      };
      const version = row.v ?? RECORDING_FORMAT;
      if (version > RECORDING_FORMAT)
        throw new RecordingFileError("newer", { path: this.path, version, reads: RECORDING_FORMAT });
    } else if (readOnly) {
      throw new RecordingFileError("noTables", { path: this.path });
    }
    if (readOnly) {
      // A file cut short still opens; its pages fail when read. Check them all before serving any.
      const check = this.db.prepare("PRAGMA quick_check").all() as { quick_check: string }[];
      if (check[0]?.quick_check !== "ok")
        throw new RecordingFileError("damaged", { path: this.path, error: check[0]?.quick_check ?? "?" });
      return;
    }
    // Deleting a recording gives its pages back to the file system (incremental vacuum), which needs
    // the mode set before the file has pages, or one VACUUM to take it on.
    const auto = (this.db.prepare("PRAGMA auto_vacuum").get() as { auto_vacuum: number }).auto_vacuum;
    if (auto !== 2) this.db.exec("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;");
    this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; ${schema}`);
    if (!hasTable) this.db.prepare("INSERT INTO recording_format (version) VALUES (?)").run(RECORDING_FORMAT);
  }

  private stmt(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  create(row: {
    id: string;
    name: string;
    kind: "ring" | "named";
    source: string;
    startedAt: number;
    expiresAt: number | null;
  }): void {
    this.stmt(
      `INSERT INTO recordings (id, name, kind, source, started_at, expires_at, owner_pid, heartbeat_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(row.id, row.name, row.kind, row.source, row.startedAt, row.expiresAt, process.pid, row.startedAt);
  }

  /** The newest ring no live process is writing (this one's restart, or a crashed one's), if any. */
  orphanRing(now: number, staleMs: number): RecordingRow | null {
    const rows = this.stmt(
      "SELECT * FROM recordings WHERE kind = 'ring' AND stopped_at IS NULL ORDER BY started_at DESC",
    ).all() as unknown as RecordingRow[];
    for (const row of rows) {
      const fresh = row.heartbeat_at !== null && now - row.heartbeat_at < staleMs;
      if (!fresh || row.owner_pid === null || !processAlive(row.owner_pid)) return row;
    }
    return null;
  }

  /** Deletes rings nobody has written for `maxAgeMs` (servers that stopped long ago, on a shared file):
   * everything they hold is past the age bound anyway. */
  dropAbandonedRings(now: number, maxAgeMs: number): number {
    const ids = (
      this.stmt(
        "SELECT id FROM recordings WHERE kind = 'ring' AND coalesce(heartbeat_at, started_at) < ?",
      ).all(now - maxAgeMs) as { id: string }[]
    ).map((r) => r.id);
    for (const id of ids) this.delete(id);
    return ids.length;
  }

  /** Named recordings left recording by a process that is gone. */
  orphanNamed(now: number, staleMs: number): RecordingRow[] {
    const rows = this.stmt(
      "SELECT * FROM recordings WHERE kind = 'named' AND stopped_at IS NULL",
    ).all() as unknown as RecordingRow[];
    return rows.filter(
      (row) =>
        row.heartbeat_at === null ||
        now - row.heartbeat_at >= staleMs ||
        row.owner_pid === null ||
        !processAlive(row.owner_pid),
    );
  }

  adopt(id: string, now: number): void {
    this.stmt("UPDATE recordings SET owner_pid = ?, heartbeat_at = ? WHERE id = ?").run(process.pid, now, id);
  }

  /** This process no longer writes the recording (a clean shutdown): the next start picks it up. */
  release(id: string): void {
    this.stmt("UPDATE recordings SET owner_pid = NULL WHERE id = ?").run(id);
  }

  stop(id: string, now: number): void {
    this.stmt("UPDATE recordings SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL").run(now, id);
  }

  /** Deletes a recording and gives its space back. False when there was none. */
  delete(id: string): boolean {
    const changes = this.transaction(() => {
      this.stmt("DELETE FROM recording_frames WHERE recording = ?").run(id);
      this.stmt("DELETE FROM recording_events WHERE recording = ?").run(id);
      this.stmt("DELETE FROM recording_pods WHERE recording = ?").run(id);
      return Number(this.stmt("DELETE FROM recordings WHERE id = ?").run(id).changes);
    });
    this.reclaim();
    return changes > 0;
  }

  /** Frees the pages deleted rows left, down to the file: incremental vacuum, then a WAL checkpoint
   * that truncates the log. */
  reclaim(): void {
    this.db.exec("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
  }

  /** Drops named recordings past their expiry. */
  expire(now: number): string[] {
    const ids = (
      this.stmt("SELECT id FROM recordings WHERE expires_at IS NOT NULL AND expires_at <= ?").all(now) as {
        id: string;
      }[]
    ).map((r) => r.id);
    for (const id of ids) this.delete(id);
    return ids;
  }

  row(id: string): RecordingRow | null {
    return (this.stmt("SELECT * FROM recordings WHERE id = ?").get(id) as unknown as RecordingRow) ?? null;
  }

  info(id: string, active: ReadonlySet<string> = new Set()): RecordingInfo | null {
    const row = this.row(id);
    return row ? this.describe(row, active) : null;
  }

  list(active: ReadonlySet<string> = new Set()): RecordingInfo[] {
    const rows = this.stmt(
      "SELECT * FROM recordings ORDER BY started_at DESC",
    ).all() as unknown as RecordingRow[];
    return rows.map((r) => this.describe(r, active));
  }

  private describe(row: RecordingRow, active: ReadonlySet<string>): RecordingInfo {
    const agg = this.stmt(
      "SELECT min(t) AS a, max(t) AS b, count(*) AS n, coalesce(sum(bytes), 0) AS bytes FROM recording_frames WHERE recording = ?",
    ).get(row.id) as { a: number | null; b: number | null; n: number; bytes: number };
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      source: row.source,
      startedAt: new Date(row.started_at).toISOString(),
      stoppedAt: iso(row.stopped_at),
      expiresAt: iso(row.expires_at),
      from: iso(agg.a),
      to: iso(agg.b),
      frames: agg.n,
      bytes: agg.bytes,
      recording: active.has(row.id),
    };
  }

  lastFrame(id: string): { n: number; t: number } | null {
    return (
      (this.stmt("SELECT n, t FROM recording_frames WHERE recording = ? ORDER BY n DESC LIMIT 1").get(id) as
        | { n: number; t: number }
        | undefined) ?? null
    );
  }

  /** Writes frames and events of several recordings in one transaction, and notes this process alive. */
  append(
    batches: { recording: string; frames: FrameRow[]; events: TimelineEvent[]; pods?: PodTiming[] }[],
    now: number,
  ): void {
    this.transaction(() => {
      const insertFrame = this.stmt(
        `INSERT INTO recording_frames (recording, n, t, kind, seq, bytes, data, running, pending,
           ips_assigned, ips_used, ips_warm, enis, subnet_free)
         VALUES (?, coalesce((SELECT max(n) FROM recording_frames WHERE recording = ?), 0) + 1,
           ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertEvent = this.stmt(
        "INSERT INTO recording_events (recording, t, kind, subject, text, extra) VALUES (?, ?, ?, ?, ?, ?)",
      );
      const insertPod = this.stmt(
        `INSERT OR IGNORE INTO recording_pods (recording, pod, node, scheduled_at, network_at, seen_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const beat = this.stmt("UPDATE recordings SET heartbeat_at = ?, owner_pid = ? WHERE id = ?");
      for (const b of batches) {
        for (const f of b.frames) {
          const p = f.point;
          insertFrame.run(
            b.recording,
            b.recording,
            f.t,
            f.kind,
            f.seq,
            f.data.byteLength,
            f.data,
            p.running,
            p.pending,
            p.ipsAssigned,
            p.ipsUsed,
            p.ipsWarm,
            p.enis,
            p.subnetFree,
          );
        }
        for (const e of b.events) {
          const { t, kind, subject, text, ...extra } = e;
          insertEvent.run(
            b.recording,
            t,
            kind,
            subject,
            text,
            Object.keys(extra).length > 0 ? JSON.stringify(extra) : null,
          );
        }
        for (const p of b.pods ?? [])
          insertPod.run(b.recording, p.pod, p.node, p.scheduledAt, p.networkAt, p.seenAt);
        beat.run(now, process.pid, b.recording);
      }
    });
  }

  /** Compressed bytes a recording's frames hold. */
  bytes(id: string): number {
    return (
      this.stmt("SELECT coalesce(sum(bytes), 0) AS b FROM recording_frames WHERE recording = ?").get(id) as {
        b: number;
      }
    ).b;
  }

  /** Drops the oldest segments (a keyframe and its deltas) while the recording holds more than
   * `maxBytes` or its second segment already starts before `minT`. The newest segment always stays.
   * Returns the segments dropped. */
  trim(id: string, maxBytes: number, minT: number): number {
    let dropped = 0;
    let bytes = this.bytes(id);
    for (;;) {
      const second = this.stmt(
        "SELECT n, t FROM recording_frames WHERE recording = ? AND kind = 'key' ORDER BY n LIMIT 1 OFFSET 1",
      ).get(id) as { n: number; t: number } | undefined;
      if (!second || (bytes <= maxBytes && second.t > minT)) break;
      this.transaction(() => {
        const gone = this.stmt(
          "SELECT coalesce(sum(bytes), 0) AS b FROM recording_frames WHERE recording = ? AND n < ?",
        ).get(id, second.n) as { b: number };
        this.stmt("DELETE FROM recording_frames WHERE recording = ? AND n < ?").run(id, second.n);
        this.stmt("DELETE FROM recording_events WHERE recording = ? AND t < ?").run(id, second.t);
        this.stmt("DELETE FROM recording_pods WHERE recording = ? AND seen_at < ?").run(id, second.t);
        bytes -= gone.b;
      });
      dropped++;
    }
    return dropped;
  }

  /** The frames that rebuild the moment `at`: the last keyframe at or before it and the deltas after
   * that keyframe up to `at`. Null when the recording has no frame at or before `at`. */
  framesFor(id: string, at: number): { key: StoredFrame; deltas: StoredFrame[] } | null {
    const key = this.stmt(
      "SELECT n, t, kind, seq, data FROM recording_frames WHERE recording = ? AND kind = 'key' AND t <= ? ORDER BY t DESC, n DESC LIMIT 1",
    ).get(id, at) as unknown as StoredFrame | undefined;
    if (!key) return null;
    const deltas = this.stmt(
      "SELECT n, t, kind, seq, data FROM recording_frames WHERE recording = ? AND n > ? AND t <= ? ORDER BY n",
    ).all(id, key.n, at) as unknown as StoredFrame[];
    // A keyframe later in the run (after a gap) ends the segment.
    const end = deltas.findIndex((d) => d.kind === "key");
    return { key, deltas: end < 0 ? deltas : deltas.slice(0, end) };
  }

  /** The frames after frame `afterN` up to the moment `at`, keyframes included, at most `limit` of them
   * (null past it): the way forward from a moment already rebuilt. */
  framesAfter(id: string, afterN: number, at: number, limit: number): StoredFrame[] | null {
    const rows = this.stmt(
      "SELECT n, t, kind, seq, data FROM recording_frames WHERE recording = ? AND n > ? AND t <= ? ORDER BY n LIMIT ?",
    ).all(id, afterN, at, limit + 1) as unknown as StoredFrame[];
    return rows.length > limit ? null : rows;
  }

  points(id: string, from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): TimelinePoint[] {
    return this.stmt(
      `SELECT t, running, pending, ips_assigned AS ipsAssigned, ips_used AS ipsUsed, ips_warm AS ipsWarm,
         enis, subnet_free AS subnetFree FROM recording_frames WHERE recording = ? AND t >= ? AND t <= ? ORDER BY n`,
    ).all(id, clampMs(from), clampMs(to)) as unknown as TimelinePoint[];
  }

  events(id: string): TimelineEvent[] {
    const rows = this.stmt(
      "SELECT t, kind, subject, text, extra FROM recording_events WHERE recording = ? ORDER BY t, rowid",
    ).all(id) as {
      t: number;
      kind: TimelineEventKind;
      subject: string;
      text: string;
      extra: string | null;
    }[];
    return rows.map(({ extra, ...e }) => (extra ? { ...e, ...(JSON.parse(extra) as object) } : e));
  }

  pods(id: string): PodTiming[] {
    return this.stmt(
      `SELECT pod, node, scheduled_at AS scheduledAt, network_at AS networkAt, seen_at AS seenAt
       FROM recording_pods WHERE recording = ? ORDER BY seen_at`,
    ).all(id) as unknown as PodTiming[];
  }

  /** Every frame of a recording in order (for a walk through all its moments). */
  *frames(id: string): Generator<StoredFrame> {
    const rows = this.db
      .prepare("SELECT n, t, kind, seq, data FROM recording_frames WHERE recording = ? ORDER BY n")
      .iterate(id) as Iterable<StoredFrame>;
    yield* rows;
  }

  /** The times the recording was not written (the server was down), from the gap events. */
  gaps(id: string): { t: number; until: number }[] {
    const rows = this.stmt(
      "SELECT t, extra FROM recording_events WHERE recording = ? AND kind = 'gap' ORDER BY t",
    ).all(id) as { t: number; extra: string | null }[];
    return rows.map((r) => ({
      t: r.t,
      until: (JSON.parse(r.extra ?? "{}") as { until?: number }).until ?? r.t,
    }));
  }

  /** The frame data as a Buffer (node:sqlite gives Uint8Array views). */
  static data(frame: StoredFrame): Buffer {
    return bytesOf(frame.data);
  }

  fileBytes(): number {
    let total = 0;
    for (const suffix of ["", "-wal"]) {
      try {
        total += statSync(this.path + suffix).size;
      } catch {
        // No WAL file (read-only, or checkpointed away).
      }
    }
    return total;
  }

  private transaction<T>(work: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.db.exec("COMMIT");
      return result;
    } catch (err) {
      this.db.exec("ROLLBACK");
      throw err;
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

const clampMs = (ms: number): number => Math.max(-8.64e15, Math.min(8.64e15, ms));

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
