// What `serve` and `start` share once their options are parsed: open Freeze's store, start the server
// on the source, print what the operator needs (URL, access, Freeze, the simulator's kubectl hints), run
// until Ctrl-C, then close everything.

import type { Replica } from "../ha/replica.ts";
import { type ServerOptions, startServer, untilSignal } from "../server.ts";
import type { Source } from "../sources/source.ts";
import { type AccessSettings, accessNotice, openSnapshots } from "./accessOptions.ts";
import { openRecording, type RecordSettings } from "./recordOptions.ts";
import { simHints } from "./simHints.ts";
import { asUsageError } from "./sourceOptions.ts";
import { printText } from "./terminalText.ts";

type Listen = Omit<ServerOptions, "authToken" | "snapshots" | "recording"> & { host: string };

export async function runServerUntilSignal(
  source: Source,
  access: AccessSettings,
  listen: Listen,
  banner: (url: string, probeUrl: string | null) => { first: string; last?: string[] },
  record: RecordSettings = { off: false, options: {} },
  replica: Replica | null = null,
): Promise<number> {
  const snapshots = await openSnapshots(access);
  // Recordings share Freeze's file: no file (--no-snapshots, or none could be made), no recording.
  const recording =
    snapshots.store && !record.off ? await openRecording(snapshots.store.path) : { store: null, notice: [] };
  const server = await startServer(source, {
    ...listen,
    authToken: access.authToken,
    logLevel: access.logLevel,
    snapshots: snapshots.store,
    recording: recording.store ? { store: recording.store, options: record.options } : null,
    peer: replica?.peerAccess() ?? null,
  }).catch((err: unknown) => {
    snapshots.store?.close();
    recording.store?.close();
    throw asUsageError(err);
  });
  replica?.start(server.url);
  const { first, last = [] } = banner(server.url, server.probeUrl);
  printText(
    [
      first,
      ...accessNotice(server.url, listen.host, access),
      ...snapshots.notice,
      ...recording.notice,
      ...simHints(source),
      ...last,
    ].join("\n"),
  );
  await untilSignal();
  await replica?.stop();
  await server.close();
  return 0;
}
