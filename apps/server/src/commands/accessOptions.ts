// The options `serve` and `start` share for a shared dashboard: the access token and the snapshot store.
import { LOG_LEVELS, type LogLevel } from "../app.ts";
import { AUTH_TOKEN_ENV, type AuthTokens, isLoopback, parseAuthTokens } from "../auth.ts";
import { saidText, t } from "../i18n/cliText.ts";
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

/** The --help lines, in the CLI's language. */
export function accessOptionHelp(): string {
  return t("options.access", { env: AUTH_TOKEN_ENV, db: defaultSnapshotDb() });
}

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
    throw new Error(t("args.logLevel", { levels: LOG_LEVELS.join(", "), value: value.slice(0, 40) }));
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
      throw new Error(t("args.noSnapshotsWith"));
    const path = values["snapshot-db"] ?? defaultSnapshotDb();
    if (path.trim() === "") throw new Error(t("args.snapshotDbPath"));
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
    throw new UsageError(saidText(err));
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
    if (access.snapshotDbGiven || err instanceof SnapshotSchemaError) throw new UsageError(saidText(err));
    return { store: null, notice: [t("serve.freezeOff", { reason: saidText(err) })] };
  }
}

/** The start-up warning for a server anyone on the network can read, or null when there is nothing to say. */
export function exposureWarning(host: string, hasToken: boolean): string | null {
  if (hasToken || isLoopback(host)) return null;
  return t("serve.exposed", { host, env: AUTH_TOKEN_ENV });
}

/** Lines to print at start: how to open a token-protected page, or the warning for an open one. */
export function accessNotice(url: string, host: string, access: AccessSettings): string[] {
  const warning = exposureWarning(host, access.authToken !== undefined);
  if (warning) return [warning];
  if (access.authToken) return [t("serve.tokenRequired", { url })];
  return [];
}
