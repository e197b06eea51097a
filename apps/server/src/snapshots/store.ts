// Frozen topologies for reviews, kept in a SQLite file (Node's built-in node:sqlite, no dependency). A
// snapshot is the server's own current Topology at the moment someone pressed "Freeze", never data a
// client sent, stored gzip-compressed under an unguessable id. The store is bounded four ways: a size
// limit per snapshot, a byte budget for them all (past it, 507), a count limit (the oldest go first) and
// an expiry; creation is rate-limited too, counted in the file itself so that a restart or a second
// replica on the same file does not start the count afresh. A full disk is a 507 too, with the reason.
import crypto from "node:crypto";
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { promisify } from "node:util";
import { gunzip as gunzipCb, gzip as gzipCb } from "node:zlib";
import { type ServerMessage, type ServerValues, serverMessage, type Topology } from "@eni-view/model";
import { SaidError } from "../saidError.ts";

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

export const defaultSnapshotDb = (): string => join(tmpdir(), "eni-view", "snapshots.db");

export const snapshotDefaults = {
  maxCount: 200,
  // The manifests give /tmp a 256 MiB emptyDir, shared with the recording and Node's temp files.
  maxTotalBytes: 64 * 1024 * 1024,
  maxCompressedBytes: 32 * 1024 * 1024,
  ttlMs: 30 * 24 * 3600_000,
  createsPerWindow: 10,
  windowMs: 60_000,
};

export interface SnapshotStoreOptions {
  /** The SQLite file; its folder is created (mode 700) when missing. */
  path: string;
  maxCount?: number;
  /** Largest gzip-compressed snapshot accepted. */
  maxCompressedBytes?: number;
  /** All snapshots together, compressed, at most this many bytes. */
  maxTotalBytes?: number;
  /** How long a snapshot can be opened after it was made. */
  ttlMs?: number;
  /** At most this many snapshots are made per window (all clients together). */
  createsPerWindow?: number;
  windowMs?: number;
  /** The clock (tests step it). */
  now?: () => number;
}

/** What the page learns about a frozen view, sent in the snapshot's `frozen` field. */
export interface FrozenInfo {
  id: string;
  frozenAt: string;
  expiresAt: string;
  /** The kind of source the view was frozen from: "cluster", "sim" or "dump". */
  from: string;
}

export type FrozenTopology = Topology & { frozen: FrozenInfo };

/** Thrown for a request the store refuses; `status` is the HTTP status the route answers with. */
export class SnapshotError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterS: number | null;
  /** The message as a key of the server catalogue: the page says the refusal in its language. */
  readonly said: ServerMessage;
  constructor(status: number, code: string, said: ServerMessage, retryAfterS: number | null = null) {
    super(serverMessage(said.key, said.values).text);
    this.said = { key: said.key, values: said.values ?? {} };
    this.name = "SnapshotError";
    this.status = status;
    this.code = code;
    this.retryAfterS = retryAfterS;
  }
}

/** The database cannot be opened where it was asked for: the operator picks another --snapshot-db. */
export class SnapshotOpenError extends SaidError {
  constructor(key: string, values: ServerValues = {}) {
    super(`snapshotDb.${key}`, values);
    this.name = "SnapshotOpenError";
  }
}

/** The file holds tables that are not eni-view's snapshots, or ones a newer eni-view wrote: never written
 * to, and never quietly replaced by "Freeze off" either. */
export class SnapshotSchemaError extends SnapshotOpenError {
  constructor(key: string, values: ServerValues = {}) {
    super(key, values);
    this.name = "SnapshotSchemaError";
  }
}

/** The layout of the snapshot tables; a file with a higher number was written by a newer eni-view. */
export const SNAPSHOT_FORMAT = 1;
const snapshotColumns = ["id", "created_at", "expires_at", "bytes", "data"];

/** Checks a file's snapshot tables before anything is written to it. */
function checkSchema(db: DatabaseSync, path: string): void {
  const columns = (db.prepare("PRAGMA table_info(snapshots)").all() as { name: string }[]).map((c) => c.name);
  const missing = snapshotColumns.filter((c) => !columns.includes(c));
  if (columns.length > 0 && missing.length > 0) {
    throw new SnapshotSchemaError("foreignTable", { path, missing: missing.join(", ") });
  }
  const hasFormat = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_format'")
    .get();
  const v = hasFormat
    ? (db.prepare("SELECT max(version) AS v FROM snapshot_format").get() as { v: number | null }).v
    : null;
  if (v !== null && v > SNAPSHOT_FORMAT) {
    throw new SnapshotSchemaError("newer", { path, version: v, reads: SNAPSHOT_FORMAT });
  }
}

/** 128 random bits in base64url: 22 characters. */
const idPattern = /^[A-Za-z0-9_-]{22}$/;

export function isSnapshotId(id: string): boolean {
  return idPattern.test(id);
}

function newId(): string {
  return crypto.randomBytes(16).toString("base64url");
}

/** Durations as the CLI takes them: "30d", "12h", "90m", "45s". */
export function parseDuration(value: string, name: string): number {
  const m = /^(\d{1,6})(s|m|h|d)$/.exec(value.trim());
  const unit = m ? { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"] : 0;
  const ms = m ? Number(m[1]) * unit : 0;
  if (!m || ms < 60_000 || ms > 366 * 86_400_000) {
    throw new SaidError("duration.invalid", { name: `--${name}`, value });
  }
  return ms;
}

/** Makes the folder for the database. The default folder sits under a shared temp directory, so it must
 * be this user's and closed to others: one someone else made (or a symlink planted there) is refused,
 * not written into. A folder the operator named (a volume, perhaps group-owned) is taken as it is. */
function prepareFolder(dir: string, strict: boolean): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!strict) return;
  const st = lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new SnapshotOpenError("notDirectory", { dir });
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new SnapshotOpenError("otherUser", { dir, uid: st.uid });
  }
  if ((st.mode & 0o022) !== 0) {
    throw new SnapshotOpenError("openToOthers", { dir, mode: (st.mode & 0o777).toString(8) });
  }
}

/** Creates the file readable by this user only (SQLite gives its journal the same mode). */
function prepareFile(path: string): void {
  const fd = openSync(path, constants.O_CREAT | constants.O_RDWR | constants.O_NOFOLLOW, 0o600);
  closeSync(fd);
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
}

export class SnapshotStore {
  readonly path: string;
  readonly maxCount: number;
  readonly maxCompressedBytes: number;
  readonly maxTotalBytes: number;
  readonly ttlMs: number;
  private readonly createsPerWindow: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly db: DatabaseSync;

  private constructor(db: DatabaseSync, options: SnapshotStoreOptions) {
    this.db = db;
    this.path = options.path;
    this.maxCount = options.maxCount ?? snapshotDefaults.maxCount;
    this.maxCompressedBytes = options.maxCompressedBytes ?? snapshotDefaults.maxCompressedBytes;
    this.maxTotalBytes = options.maxTotalBytes ?? snapshotDefaults.maxTotalBytes;
    this.ttlMs = options.ttlMs ?? snapshotDefaults.ttlMs;
    this.createsPerWindow = options.createsPerWindow ?? snapshotDefaults.createsPerWindow;
    this.windowMs = options.windowMs ?? snapshotDefaults.windowMs;
    this.now = options.now ?? Date.now;
  }

  /** Opens (or creates) the database file. node:sqlite is loaded here, only when snapshots are used. */
  static async open(options: SnapshotStoreOptions): Promise<SnapshotStore> {
    const { DatabaseSync } = await import("node:sqlite");
    try {
      prepareFolder(dirname(options.path), options.path === defaultSnapshotDb());
      prepareFile(options.path);
    } catch (err) {
      if (err instanceof SnapshotOpenError) throw err;
      throw new SnapshotOpenError("cannotCreate", { path: options.path, error: (err as Error).message });
    }
    let db: DatabaseSync | undefined;
    try {
      // Several servers may share the default file: wait for another one's write instead of failing.
      db = new DatabaseSync(options.path, { timeout: 5000 });
      checkSchema(db, options.path);
      // WAL: the recorder (recording/) writes to the same file every second beside Freeze's snapshots.
      db.exec(`PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS snapshots (
          id TEXT PRIMARY KEY,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          bytes INTEGER NOT NULL,
          data BLOB NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS snapshots_created ON snapshots (created_at);
        CREATE TABLE IF NOT EXISTS freezes (at INTEGER NOT NULL) STRICT;
        CREATE TABLE IF NOT EXISTS snapshot_format (version INTEGER NOT NULL) STRICT;`);
    } catch (err) {
      if (db?.isOpen) db.close();
      if (err instanceof SnapshotSchemaError) throw err;
      throw new SnapshotOpenError("unusable", { path: options.path, error: (err as Error).message });
    }
    if (!db.prepare("SELECT 1 FROM snapshot_format").get())
      db.prepare("INSERT INTO snapshot_format (version) VALUES (?)").run(SNAPSHOT_FORMAT);
    const store = new SnapshotStore(db, options);
    store.expire();
    return store;
  }

  /** Counts a Freeze against the rate limit, in the file: every process on it shares one count. */
  private countFreeze(now: number): void {
    this.write(() => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        this.db.prepare("DELETE FROM freezes WHERE at <= ?").run(now - this.windowMs);
        const { n, first } = this.db.prepare("SELECT count(*) AS n, min(at) AS first FROM freezes").get() as {
          n: number;
          first: number | null;
        };
        if (n >= this.createsPerWindow) {
          const retry = Math.max(1, Math.ceil(((first ?? now) + this.windowMs - now) / 1000));
          throw new SnapshotError(
            429,
            "too-many-snapshots",
            { key: "snapshot.tooMany", values: { max: this.createsPerWindow, seconds: retry } },
            retry,
          );
        }
        this.db.prepare("INSERT INTO freezes (at) VALUES (?)").run(now);
        this.db.exec("COMMIT");
      } catch (err) {
        this.db.exec("ROLLBACK");
        throw err;
      }
    });
  }

  /** Runs a write; a full disk (SQLite's SQLITE_FULL, ENOSPC) becomes a 507 that says so. */
  private write<T>(work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (err instanceof SnapshotError) throw err;
      const e = err as { errcode?: number; code?: string; message?: string };
      if (
        (e.errcode ?? 0) % 256 === 13 ||
        e.code === "ENOSPC" ||
        /disk is full|no space/i.test(e.message ?? "")
      ) {
        throw new SnapshotError(507, "no-space", {
          key: "snapshot.noSpace",
          values: { path: this.path, error: e.message ?? "SQLITE_FULL" },
        });
      }
      throw err;
    }
  }

  /** Compressed bytes all snapshots hold. */
  bytes(): number {
    return (this.db.prepare("SELECT coalesce(sum(bytes), 0) AS b FROM snapshots").get() as { b: number }).b;
  }

  /** Freezes a topology, and with it a plan made on it (the planner's reply as JSON text, stored as the
   * snapshot's `plan`). Throws SnapshotError (429 rate limit, 413 too large, 507 budget or disk full). */
  async create(topology: Topology, planJson?: string): Promise<FrozenInfo> {
    const now = this.now();
    this.countFreeze(now);
    const frozen: FrozenInfo = {
      id: newId(),
      frozenAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlMs).toISOString(),
      from: topology.source,
    };
    const body: FrozenTopology = { ...topology, source: "snapshot", frozen };
    const json = JSON.stringify(body);
    // The plan's text is the server's own serialisation (the planner thread's): spliced in, not re-parsed.
    const whole = planJson === undefined ? json : `${json.slice(0, -1)},"plan":${planJson}}`;
    const data = await gzip(whole, { level: 6 });
    if (data.length > this.maxCompressedBytes) {
      throw new SnapshotError(413, "snapshot-too-large", {
        key: "snapshot.tooLarge",
        values: {
          size: (data.length / 1048576).toFixed(1),
          limit: (this.maxCompressedBytes / 1048576).toFixed(0),
        },
      });
    }
    this.write(() => this.expire());
    const held = this.bytes();
    if (held + data.length > this.maxTotalBytes) {
      const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
      throw new SnapshotError(507, "snapshot-budget-full", {
        key: "snapshot.budgetFull",
        values: { held: mb(held), budget: mb(this.maxTotalBytes), needed: mb(data.length) },
      });
    }
    this.write(() =>
      this.db
        .prepare("INSERT INTO snapshots (id, created_at, expires_at, bytes, data) VALUES (?, ?, ?, ?, ?)")
        .run(frozen.id, now, now + this.ttlMs, data.length, data),
    );
    // Beyond the count limit, the oldest go.
    this.db
      .prepare(
        `DELETE FROM snapshots WHERE id NOT IN
           (SELECT id FROM snapshots ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
      )
      .run(this.maxCount);
    return frozen;
  }

  /** The stored gzip bytes of a snapshot (a FrozenTopology's JSON), or null when unknown or expired. */
  readCompressed(id: string): Buffer | null {
    if (!isSnapshotId(id)) return null;
    const row = this.db
      .prepare("SELECT data FROM snapshots WHERE id = ? AND expires_at > ?")
      .get(id, this.now()) as { data: Uint8Array } | undefined;
    return row ? Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength) : null;
  }

  /** The snapshot's JSON text, or null when unknown or expired. */
  async readJson(id: string): Promise<string | null> {
    const data = this.readCompressed(id);
    return data ? (await gunzip(data)).toString("utf8") : null;
  }

  count(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM snapshots").get() as { n: number }).n;
  }

  /** Drops expired snapshots. */
  expire(): number {
    return Number(this.db.prepare("DELETE FROM snapshots WHERE expires_at <= ?").run(this.now()).changes);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
