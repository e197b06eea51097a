// `eni-view record --out FILE`: records a live cluster (or the simulator) into a file without a server,
// in the same tables the server's store keeps; `eni-view record summary --recording FILE`: the summary of
// each scale step in it. A recording holds only what the dashboard draws (the topology), no secrets.

import { saidText, serverSay, sourceKindText, t } from "../i18n/cliText.ts";
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

async function summary(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    recording: { type: "string" },
    id: { type: "string" },
    output: { type: "string", short: "o" },
  });
  if (!values.recording) throw new UsageError(t("record.summaryNeedsRecording"));
  const format = values.output ?? "md";
  if (format !== "md" && format !== "json") throw new UsageError(t("record.summaryFormat", { format }));
  const store = await openRecordingFile(values.recording);
  try {
    const recording = pickRecording(store, values.id);
    const s = await summaryOf(store, recording.id).catch((err: unknown) => {
      if (err instanceof RecordingFileError || err instanceof RecordingError)
        throw new UsageError(saidText(err));
      throw err;
    });
    if (format === "json") process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    else printText(summaryMarkdown(s, serverSay));
    return 0;
  } finally {
    store.close();
  }
}

const command: Command = {
  name: "record",
  summary: "record a cluster's topology over time into a file, and summarise a recording",
  get help() {
    return t("record.help", { source: sourceOptionHelp() });
  },
  async run(argv) {
    if (argv[0] === "summary") return summary(argv.slice(1));
    const { values } = parseCommandArgs(argv, {
      ...sourceOptionSpec,
      out: { type: "string" },
      name: { type: "string" },
      for: { type: "string" },
    });
    if (!values.out) throw new UsageError(t("record.outRequired"));
    if (values.dump !== undefined || values.source === "dump")
      throw new UsageError(t("record.captureStatic"));
    const forMs = values.for === undefined ? null : asUsage(() => parseDuration(values.for!, "for"));
    let store: RecordingStore;
    try {
      store = await RecordingStore.open(values.out);
    } catch (err) {
      if (err instanceof RecordingFileError) throw new UsageError(saidText(err), err.code);
      throw new UsageError(t("record.cannotWrite", { file: values.out, error: (err as Error).message }));
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
      throw err instanceof RecordingError ? new UsageError(saidText(err)) : err;
    });
    printText(
      [
        t("record.recording", {
          kind: sourceKindText(source.kind),
          file: values.out,
          name: info.name,
          id: info.id,
        }),
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
      t("record.recorded", {
        frames: stopped.frames,
        from: stopped.from ?? "?",
        to: stopped.to ?? "?",
        kib: (stopped.bytes / 1024).toFixed(0),
      }),
    );
    return 0;
  },
};

function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new UsageError(saidText(err));
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export default command;
