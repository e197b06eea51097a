// The options `serve` and `start` share for a shared dashboard: the access token and the snapshot store.
import { LOG_LEVELS, type LogLevel } from "../app.ts";
import { AUTH_TOKEN_ENV, type AuthTokens, exposureWarning, parseAuthTokens } from "../auth.ts";
import {
  defaultSnapshotDb,
  parseDuration,
  SnapshotOpenError,
  SnapshotSchemaError,
  SnapshotStore,
  type SnapshotStoreOptions,
} from "../snapshots/store.ts";
import { UsageError } from "./command.ts";
import { sizeOption } from "./sourceOptions.ts";

export const accessOptionSpec = {
  "auth-token": { type: "string" },
  "snapshot-db": { type: "string" },
  "snapshot-ttl": { type: "string" },
  "snapshot-max-size": { type: "string" },
  "no-snapshots": { type: "boolean" },
  "log-level": { type: "string" },
} as const;

export const accessOptionHelp = `Access, snapshots and logs:
  --auth-token TOKEN      require this token for /api/* and /metrics (16+ characters of A-Z a-z 0-9 . _ ~ -,
                          e.g. \`openssl rand -hex 32\`); or set ${AUTH_TOKEN_ENV}. Open the page once with
                          /?token=TOKEN (it then sets an HttpOnly cookie), or send Authorization: Bearer TOKEN.
                          Several tokens, comma-separated (one per team or shared link), each get at
                          most 100 of the live streams. /livez and /readyz stay open for probes. Without a token, keep the default
                          --host 127.0.0.1 or put an authenticating proxy (oauth2-proxy) in front.
  --snapshot-db FILE      where "Freeze" keeps snapshots (SQLite; default ${defaultSnapshotDb()})
  --snapshot-ttl DURATION how long a snapshot link works, e.g. 30d, 12h, 90m (default 30d)
  --snapshot-max-size SIZE all snapshots together at most this, compressed, e.g. 500M (default 64M);
                          past it, and on a full disk, Freeze answers 507 with the reason
  --no-snapshots          no "Freeze": no snapshot file, and no route that writes anything at all
  --log-level LEVEL       JSON lines on standard error: fatal, error, warn, info (default), debug, trace
                          or silent; one line per request, its path without the query string`;

type Values = Partial<Record<Exclude<keyof typeof accessOptionSpec, "no-snapshots">, string>> & {
  "no-snapshots"?: boolean;
};

export interface AccessSettings {
  authToken: AuthTokens | undefined;
  snapshots: SnapshotStoreOptions;
  /** --snapshot-db was given: a file that cannot be opened is an error, not a warning. */
  snapshotDbGiven: boolean;
  /** --no-snapshots: Freeze is off by choice. */
  snapshotsOff: boolean;
  logLevel: LogLevel;
}

function logLevelOption(value: string | undefined): LogLevel {
  if (value === undefined) return "info";
  if (!(LOG_LEVELS as readonly string[]).includes(value))
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${value.slice(0, 40)}"`);
  return value as LogLevel;
}

/** Reads the options (and the token's environment variable, which a Kubernetes Secret can fill). */
export function accessFromOptions(values: Values, env: NodeJS.ProcessEnv = process.env): AccessSettings {
  const fromEnv = env[AUTH_TOKEN_ENV];
  const raw = values["auth-token"] ?? (fromEnv === "" ? undefined : fromEnv);
  let authToken: AuthTokens | undefined;
  try {
    authToken =
      raw === undefined
        ? undefined
        : parseAuthTokens(raw, values["auth-token"] !== undefined ? "--auth-token" : AUTH_TOKEN_ENV);
    const ttl = values["snapshot-ttl"];
    const maxSize = values["snapshot-max-size"];
    if (
      values["no-snapshots"] &&
      (ttl !== undefined || values["snapshot-db"] !== undefined || maxSize !== undefined)
    )
      throw new Error(
        "--no-snapshots cannot be combined with --snapshot-db, --snapshot-ttl or --snapshot-max-size",
      );
    const path = values["snapshot-db"] ?? defaultSnapshotDb();
    if (path.trim() === "") throw new Error("--snapshot-db must be a file path");
    return {
      authToken,
      snapshots: {
        path,
        ttlMs: ttl === undefined ? undefined : parseDuration(ttl, "snapshot-ttl"),
        maxTotalBytes:
          maxSize === undefined ? undefined : sizeOption("snapshot-max-size", maxSize, 1024 ** 2, 1024 ** 4),
      },
      logLevel: logLevelOption(values["log-level"]),
      snapshotDbGiven: values["snapshot-db"] !== undefined,
      snapshotsOff: values["no-snapshots"] === true,
    };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Opens the snapshot store. A --snapshot-db that cannot be used is the operator's to fix (one line, exit
 * 2); when the default place cannot be used (no writable temp folder), the dashboard still serves, without
 * Freeze, and says why. */
export async function openSnapshots(
  access: AccessSettings,
): Promise<{ store: SnapshotStore | null; notice: string[] }> {
  if (access.snapshotsOff) return { store: null, notice: [] };
  try {
    return { store: await SnapshotStore.open(access.snapshots), notice: [] };
  } catch (err) {
    if (!(err instanceof SnapshotOpenError)) throw err;
    // Someone else's file (or a newer eni-view's) where the snapshots go is told, not worked around.
    if (access.snapshotDbGiven || err instanceof SnapshotSchemaError) throw new UsageError(err.message);
    return { store: null, notice: [`Freeze is off: ${err.message}.`] };
  }
}

/** Lines to print at start: how to open a token-protected page, or the warning for an open one. */
export function accessNotice(url: string, host: string, access: AccessSettings): string[] {
  const warning = exposureWarning(host, access.authToken !== undefined);
  if (warning) return [warning];
  if (access.authToken)
    return [`Access token required: open ${url}/?token=<your token> (the token is not printed here).`];
  return [];
}
