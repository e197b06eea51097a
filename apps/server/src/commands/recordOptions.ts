// The options `serve` and `start` share for recording: the always-on ring's bounds, or none at all. The
// recordings live in the snapshot file (--snapshot-db), beside Freeze's snapshots.

import { t } from "../i18n/cliText.ts";
import type { RecorderOptions } from "../recording/recorder.ts";
import { recordingDefaults } from "../recording/recorder.ts";
import { RecordingFileError, RecordingStore } from "../recording/recordingStore.ts";
import { UsageError } from "./command.ts";

export const recordOptionSpec = {
  "record-hours": { type: "string" },
  "record-mb": { type: "string" },
  "no-record": { type: "boolean" },
} as const;

/** The --help lines, in the CLI's language. */
export function recordOptionHelp(): string {
  return t("options.record", {
    hours: recordingDefaults.ringMaxAgeMs / 3600_000,
    mb: recordingDefaults.ringMaxBytes / 1048576,
  });
}

export interface RecordSettings {
  off: boolean;
  options: RecorderOptions;
}

function bounded(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n >= min && n <= max))
    throw new UsageError(t("args.number", { flag: name, min, max, value }));
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
    throw new UsageError(t("args.noRecordWith"));
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
    return { store: null, notice: [t("serve.recordingOff", { reason: err.message })] };
  }
}
