// Runs the app until Ctrl-C: the feed over a source, the HTTP server, a clean shutdown on a signal.
import { setFlagsFromString } from "node:v8";
import type { FastifyInstance } from "fastify";
import { type AppOptions, buildApp } from "./app.ts";
import { type AuthTokens, isLoopback, registerLoopbackHostCheck } from "./auth.ts";
import { type ProbeServer, startProbeServer } from "./probeServer.ts";
import { Recorder, type RecorderOptions } from "./recording/recorder.ts";
import type { RecordingStore } from "./recording/recordingStore.ts";
import { allowLabReset, labSimulator } from "./routes/lab.ts";
import { readOnlyRecordings } from "./routes/recordings.ts";
import type { SnapshotStore } from "./snapshots/store.ts";
import type { Source } from "./sources/source.ts";
import { type FeedOptions, TopologyFeed } from "./topologyFeed.ts";

export const defaultWebDist = new URL("../../web/dist", import.meta.url).pathname;

export interface ServerOptions {
  host: string;
  port: number;
  /** Try the next ports when `port` is taken (npm start); `serve` fails instead. */
  portFallback?: number;
  webDist?: string | null;
  frameAncestors?: string;
  feed?: FeedOptions;
  /** /api/* and /metrics need this token when set. */
  authToken?: AuthTokens;
  /** Serve /livez on this port too, from a thread of its own (probeServer.ts; `--probe-port`). */
  probePort?: number;
  /** Log JSON lines at this level (`--log-level`); none when absent. */
  logLevel?: AppOptions["logLevel"];
  /** Streams per client address and the stuck-stream timing (routes/viewerSlots.ts). */
  viewerLimits?: AppOptions["viewerLimits"];
  /** Where the stream's `view=auto` switches to the overview (routes/overviewStream.ts). */
  overviewFromNodes?: number;
  /** The open snapshot store behind "Freeze" (closed with the server); no Freeze when absent. */
  snapshots?: SnapshotStore | null;
  /** Record the topology into this store (closed with the server); no recording when absent. With
   * `readOnly`, serve the recordings already in it and record nothing (`serve --recording FILE`). */
  recording?: { store: RecordingStore; options?: RecorderOptions; readOnly?: boolean } | null;
  /** Replicas sharing one EC2 poller: serve /internal/ec2 to the others (ha/). */
  peer?: AppOptions["peer"];
}

export interface RunningServer {
  url: string;
  /** The probe port's base URL, when there is one. */
  probeUrl: string | null;
  app: FastifyInstance;
  feed: TopologyFeed;
  recorder: Recorder | null;
  close(): Promise<void>;
}

async function listen(app: FastifyInstance, host: string, port: number, fallback: number): Promise<string> {
  for (let p = port; ; p++) {
    try {
      return await app.listen({ host, port: p });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE" && p < port + fallback) continue;
      if (code === "EADDRINUSE")
        throw new Error(`port ${port} on ${host} is in use; pick another with --port`);
      if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
        throw new Error(`cannot listen on ${host}: no such local address`);
      throw err;
    }
  }
}

/** How far V8 lets a heap grow past what its last full collection kept, in percent, in a server process
 * (ENI_VIEW_HEAP_GROWING_PERCENT; 0 leaves V8's own choice). V8 otherwise lets it grow by a factor of up
 * to 4 while allocation is fast: at 5,000 nodes the server keeps about 300 MB live, and its first lists,
 * builds and snapshots took the heap to 500-700 MB, most of it garbage. The live data is the same; the
 * collector runs more often (about 6 % of a core more over the benchmark's server phase). */
export const serverHeapGrowingPercent = Number(process.env.ENI_VIEW_HEAP_GROWING_PERCENT ?? 30);

let heapBounded = false;
/** V8 reads the flag at every full collection, so setting it in a running process takes effect in this
 * isolate and in the worker threads started later (the EC2 worker). */
function boundHeapGrowth(): void {
  if (heapBounded || !(serverHeapGrowingPercent > 0)) return;
  heapBounded = true;
  setFlagsFromString(`--heap-growing-percent=${serverHeapGrowingPercent}`);
}

function adminOrigins(source: Source): string[] {
  const sim = labSimulator(source);
  return sim ? [new URL(sim.adminUrl).origin] : [];
}

export async function startServer(source: Source, options: ServerOptions): Promise<RunningServer> {
  boundHeapGrowth();
  const feed = new TopologyFeed(source, options.feed);
  const snapshots = options.snapshots ?? null;
  await feed.start();
  const recording = options.recording ?? null;
  const recorder =
    recording && !recording.readOnly ? await Recorder.start(feed, recording.store, recording.options) : null;
  const app = await buildApp({
    feed,
    webDist: options.webDist === undefined ? defaultWebDist : options.webDist,
    frameAncestors: options.frameAncestors,
    authToken: options.authToken,
    viewerLimits: options.viewerLimits,
    overviewFromNodes: options.overviewFromNodes,
    logLevel: options.logLevel,
    snapshots,
    recorder: recorder ?? (recording ? readOnlyRecordings(recording.store) : null),
    simulator: () => labSimulator(source),
    // Lab mode's "Reset the lab" goes from the page to the simulator's admin endpoint, never through here.
    connectSources: adminOrigins(source),
    peer: options.peer ?? null,
  });
  // DNS rebinding protection for a server meant for this machine only.
  if (isLoopback(options.host)) registerLoopbackHostCheck(app);
  let url: string;
  try {
    url = await listen(app, options.host, options.port, options.portFallback ?? 0);
  } catch (err) {
    await recorder?.close();
    await feed.stop();
    snapshots?.close();
    recording?.store.close();
    throw err;
  }
  let probe: ProbeServer | null = null;
  try {
    if (options.probePort !== undefined)
      probe = await startProbeServer({ host: options.host, port: options.probePort });
  } catch (err) {
    await app.close();
    await recorder?.close();
    await feed.stop();
    snapshots?.close();
    recording?.store.close();
    throw err;
  }
  allowLabReset(source, url);
  return {
    url,
    probeUrl: probe?.url ?? null,
    app,
    feed,
    recorder,
    close: async () => {
      await probe?.close();
      await app.close();
      await recorder?.close();
      await feed.stop();
      snapshots?.close();
      recording?.store.close();
    },
  };
}

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: string) => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve(signal);
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}
