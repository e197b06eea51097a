// The options `serve` and `start` share for recording: the always-on ring's bounds, or none at all. The
// recordings live in the snapshot file (--snapshot-db), beside Freeze's snapshots.
import type { RecorderOptions } from "../recording/recorder.ts";
import { recordingDefaults } from "../recording/recorder.ts";
import { RecordingFileError, RecordingStore } from "../recording/recordingStore.ts";
import { UsageError } from "./command.ts";

export const recordOptionSpec = {
  "record-hours": { type: "string" },
  "record-mb": { type: "string" },
  "no-record": { type: "boolean" },
} as const;

export const recordOptionHelp = `Recording (kept in the --snapshot-db file):
  --record-hours N        the always-on ring keeps the last N hours (default ${recordingDefaults.ringMaxAgeMs / 3600_000}; 0.1-720)...
  --record-mb M           ...or the last M MB of compressed frames, whichever comes first (default ${recordingDefaults.ringMaxBytes / 1048576}; 1-100000)
  --no-record             no ring; named recordings cannot be started either (also off with --no-snapshots)`;

export interface RecordSettings {
  off: boolean;
  options: RecorderOptions;
}

function bounded(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n >= min && n <= max))
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}

export function recordFromOptions(values: {
  "record-hours"?: string;
  "record-mb"?: string;
  "no-record"?: boolean;
}): RecordSettings {
  const hours = bounded(values["record-hours"], "record-hours", 0.1, 720);
  const mb = bounded(values["record-mb"], "record-mb", 1, 100_000);
  if (values["no-record"] && (hours !== undefined || mb !== undefined))
    throw new UsageError("--no-record cannot be combined with --record-hours or --record-mb");
  return {
    off: values["no-record"] === true,
    options: {
      ringMaxAgeMs: hours === undefined ? undefined : Math.round(hours * 3600_000),
      ringMaxBytes: mb === undefined ? undefined : Math.round(mb * 1048576),
    },
  };
}

/** Opens the recording tables in the snapshot file. A file another eni-view left in a newer format is
 * not written to: the dashboard serves without recording and says why. */
export async function openRecording(
  path: string,
): Promise<{ store: RecordingStore | null; notice: string[] }> {
  try {
    return { store: await RecordingStore.open(path), notice: [] };
  } catch (err) {
    if (!(err instanceof RecordingFileError)) throw err;
    return { store: null, notice: [`Recording is off: ${err.message}.`] };
  }
}
