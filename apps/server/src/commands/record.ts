// `eni-view record --out FILE`: records a live cluster (or the simulator) into a file without a server,
// in the same tables the server's store keeps; `eni-view record summary --recording FILE`: the summary of
// each scale step in it. A recording holds only what the dashboard draws (the topology), no secrets.

import { Recorder } from "../recording/recorder.ts";
import { RecordingError, RecordingFileError, RecordingStore } from "../recording/recordingStore.ts";
import { summaryMarkdown, summaryOf } from "../recording/summary.ts";
import { untilSignal } from "../server.ts";
import { parseDuration } from "../snapshots/store.ts";
import { TopologyFeed } from "../topologyFeed.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import { openRecordingFile, pickRecording } from "./recordingFile.ts";
import { simHints } from "./simHints.ts";
import { asUsageError, sourceFromOptions, sourceOptionHelp, sourceOptionSpec } from "./sourceOptions.ts";
import { printText } from "./terminalText.ts";

const help = `Usage: eni-view record --out FILE [--name NAME] [--for DURATION] [--source cluster|sim] [options]
       eni-view record summary --recording FILE [--id ID] [-o md|json]

record --out FILE
  Watches the cluster the way \`serve\` does (read-only) and records its topology as it changes into FILE
  (SQLite; created if missing, a new recording added if not): every change, a keyframe every minute, the
  timeline's totals and events, and when each pod was scheduled and got its IP. Runs until Ctrl-C or
  --for. Open it with \`eni-view serve --recording FILE\` or \`eni-view report --recording FILE --at TIME\`.
  The file holds what the dashboard shows and nothing else: no pod env, annotations, secrets or tokens.

  --out FILE        the recording file
  --name NAME       the recording's name (default "recording <start time>")
  --for DURATION    stop after this long, e.g. 10m, 2h (default: until Ctrl-C)
${sourceOptionHelp}

record summary --recording FILE
  For each scale step in the recording (a Deployment's replicas change): time to all pods Running or to
  settled with N Pending, peak Pending by reason, ENIs attached and freed, scheduled -> IP p50/p95/max
  from the pods' conditions, subnet addresses consumed, EC2 throttling, the slowest node and why.

  --recording FILE  a file \`record --out\` wrote, or the server's --snapshot-db file
  --id ID           which recording in it (default: the newest named one, else the ring)
  -o md|json        Markdown (default) or JSON

Examples:
  eni-view record --out scale-test.db --name "scale test 14:00" --context prod
  eni-view record --out lab.db --source sim --for 5m
  eni-view record summary --recording scale-test.db > summary.md`;

async function summary(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    recording: { type: "string" },
    id: { type: "string" },
    output: { type: "string", short: "o" },
  });
  if (!values.recording) throw new UsageError("record summary needs --recording FILE");
  const format = values.output ?? "md";
  if (format !== "md" && format !== "json") throw new UsageError(`-o must be md or json, got "${format}"`);
  const store = await openRecordingFile(values.recording);
  try {
    const recording = pickRecording(store, values.id);
    const s = await summaryOf(store, recording.id).catch((err: unknown) => {
      if (err instanceof RecordingFileError || err instanceof RecordingError)
        throw new UsageError(err.message);
      throw err;
    });
    if (format === "json") process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    else printText(summaryMarkdown(s));
    return 0;
  } finally {
    store.close();
  }
}

const command: Command = {
  name: "record",
  summary: "record a cluster's topology over time into a file, and summarise a recording",
  help,
  async run(argv) {
    if (argv[0] === "summary") return summary(argv.slice(1));
    const { values } = parseCommandArgs(argv, {
      ...sourceOptionSpec,
      out: { type: "string" },
      name: { type: "string" },
      for: { type: "string" },
    });
    if (!values.out) throw new UsageError("--out FILE is required: the recording file to write");
    if (values.dump !== undefined || values.source === "dump")
      throw new UsageError("a capture folder does not change: record a cluster or the simulator");
    const forMs = values.for === undefined ? null : asUsage(() => parseDuration(values.for!, "for"));
    let store: RecordingStore;
    try {
      store = await RecordingStore.open(values.out);
    } catch (err) {
      if (err instanceof RecordingFileError) throw new UsageError(err.message, err.code);
      throw new UsageError(`cannot write ${values.out}: ${(err as Error).message}`);
    }
    const source = await sourceFromOptions(values, ["cluster", "sim"]).catch((err: unknown) => {
      store.close();
      throw asUsageError(err);
    });
    const feed = new TopologyFeed(source);
    await feed.start();
    const recorder = await Recorder.start(feed, store, { ring: false });
    const name = values.name ?? `recording ${new Date().toISOString()}`;
    const info = await recorder.startNamed(name, 366 * 86_400_000).catch((err: unknown) => {
      throw err instanceof RecordingError ? new UsageError(err.message) : err;
    });
    printText(
      [
        `eni-view: recording ${source.kind} into ${values.out} as "${info.name}" (id ${info.id}); Ctrl-C to stop`,
        ...simHints(source),
      ].join("\n"),
    );
    const stop = forMs === null ? untilSignal() : Promise.race([untilSignal(), sleep(forMs)]);
    await stop;
    const stopped = await recorder.stopNamed(info.id);
    await recorder.close();
    await feed.stop();
    store.close();
    printText(
      `eni-view: recorded ${stopped.frames} changes from ${stopped.from ?? "?"} to ${stopped.to ?? "?"} (${(stopped.bytes / 1024).toFixed(0)} KiB)`,
    );
    return 0;
  },
};

function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export default command;
