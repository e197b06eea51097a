// The recorder's bounds (issue 15): bench/procs/recording.ts in a process of its own (so that the seeks
// are not timed beside this process's heap), once with the default ring bound for the store size, the
// seeks and the CPU, and once with a bound the hour overflows, to see that the ring never grows past it.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { type BenchRecord, makeRecord } from "../lib/records.ts";
import { summarise } from "../lib/stats.ts";

const run = promisify(execFile);
const proc = new URL("../procs/recording.ts", import.meta.url).pathname;

interface RecordingRun {
  nodes: number;
  pods: number;
  hours: number;
  changes: number;
  stepSeconds: number;
  fileBytes: number;
  ringBoundBytes: number;
  ringPeakBytes: number;
  seekRandomMs: number[];
  seekRandomCpuMs: number[];
  seekNextMs: number[];
  seekBackMs: number[];
  recorderMs: number;
  processCpuMs: number;
  wallMs: number;
}

async function record(size: number, hours: number, stepS: number, mb: number): Promise<RecordingRun> {
  const { stdout } = await run(
    process.execPath,
    ["--max-old-space-size=4096", proc, String(size), String(hours), String(stepS), String(mb)],
    { maxBuffer: 1 << 20, cwd: join(proc, "../../..") },
  );
  return JSON.parse(stdout) as RecordingRun;
}

export async function recordingPhase(o: {
  size: number;
  /** Simulated hours of churn (1 in a full run). */
  hours: number;
  /** The server's CPU share of a core on the quiet cluster, when the server phase measured it. */
  serverQuietCpuPercent?: number;
  log: (l: string) => void;
}): Promise<BenchRecord[]> {
  const stepS = 15;
  const r = await record(o.size, o.hours, stepS, 256);
  const note = `the model's random cluster: ${r.nodes} nodes, ${r.pods} pods, a churned change every ${stepS} s for ${r.hours} simulated h (${r.changes} changes)`;
  o.log(`  recording: ${note}, ${(r.wallMs / 1000).toFixed(0)} s`);
  const one = (value: number) => ({ value, min: value, max: value, runs: 1 });
  const worst = (s: number[]) => ({ ...summarise(s), value: Math.max(...s) });
  const recorderCorePercent = (r.recorderMs / (r.hours * 3600_000)) * 100;
  const records = [
    makeRecord(
      "recording: frames stored per simulated hour",
      o.size,
      "bytes",
      one(r.ringPeakBytes / r.hours),
      note,
    ),
    makeRecord(
      "recording: store file with its WAL after the run",
      o.size,
      "bytes",
      one(r.fileBytes),
      `after ${r.hours} simulated h`,
    ),
    makeRecord(
      "recording: seek to a random moment, worst",
      o.size,
      "ms",
      worst(r.seekRandomMs),
      "a keyframe decoded and the deltas after it, or the way forward walked from the last seek",
    ),
    makeRecord("recording: seek to a random moment", o.size, "ms", summarise(r.seekRandomMs)),
    makeRecord(
      "recording: seek to a random moment, CPU",
      o.size,
      "ms",
      summarise(r.seekRandomCpuMs),
      "CPU time of the seek (all threads): the wall time above is this stretched by the machine's load",
    ),
    makeRecord(
      "recording: seek to the next change (playing)",
      o.size,
      "ms",
      summarise(r.seekNextMs),
      "a keyframe crossed is walked through, not decoded",
    ),
    makeRecord(
      "recording: seek back a change (scrubbing left)",
      o.size,
      "ms",
      summarise(r.seekBackMs),
      "from the segment's keyframe kept decoded; a keyframe is decoded when a segment's start is crossed",
    ),
    makeRecord("recording: recorder CPU per change", o.size, "ms", one(r.recorderMs / r.changes)),
    makeRecord(
      "recording: recorder CPU, share of a core",
      o.size,
      "% of a core",
      one(recorderCorePercent),
      "over the simulated time, as the server would spend it",
    ),
  ];
  if (o.serverQuietCpuPercent !== undefined && o.serverQuietCpuPercent > 0)
    records.push(
      makeRecord(
        "recording: recorder CPU against the server's",
        o.size,
        "%",
        one((recorderCorePercent / o.serverQuietCpuPercent) * 100),
        "the recorder's share of a core over the server's own on the quiet cluster",
      ),
    );
  // A bound the hour overflows (a third of the frames it writes), so the ring has to drop segments.
  const boundMb = r.ringPeakBytes / 3 / 1048576;
  const bounded = await record(o.size, o.hours, stepS, boundMb);
  records.push(
    makeRecord(
      "recording: ring peak against its bound",
      o.size,
      "%",
      one((bounded.ringPeakBytes / bounded.ringBoundBytes) * 100),
      `frames held at most, with a ${boundMb.toFixed(2)} MB bound (a third of the hour's frames)`,
    ),
  );
  return records;
}
