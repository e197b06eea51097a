import type { AuthTokens } from "../auth.ts";
import { Replica } from "../ha/replica.ts";
import { startServer, untilSignal } from "../server.ts";
import { loadKubeConfig } from "../sources/kube/kubeClient.ts";
import { RecordingSource } from "../sources/recordingSource.ts";
import { accessFromOptions, accessOptionHelp, accessOptionSpec } from "./accessOptions.ts";
import type { Command } from "./command.ts";
import { parseCommandArgs, UsageError } from "./command.ts";
import { haFromOptions, haOptionHelp, haOptionSpec } from "./haOptions.ts";
import { momentFromFile, openRecordingFile, pickRecording } from "./recordingFile.ts";
import { recordFromOptions, recordOptionHelp, recordOptionSpec } from "./recordOptions.ts";
import { runServerUntilSignal } from "./runServer.ts";
import {
  asUsageError,
  frameAncestorsOption,
  parseHost,
  parsePort,
  positiveNumber,
  sourceFromOptions,
  sourceOptionHelp,
  sourceOptionSpec,
} from "./sourceOptions.ts";
import { printText } from "./terminalText.ts";

/** `serve --recording FILE`: the dashboard on a recording file, its last moment as the present and the
 * rest on the timeline; nothing is watched and nothing written (no Freeze, no recording). */
async function serveRecording(
  file: string,
  id: string | undefined,
  listen: { host: string; port: number; webDist: string | undefined; frameAncestors: string | undefined },
  authToken: AuthTokens | undefined,
): Promise<number> {
  const store = await openRecordingFile(file);
  try {
    const recording = pickRecording(store, id);
    const last = await momentFromFile(store, recording, "end");
    const server = await startServer(new RecordingSource(), {
      ...listen,
      authToken,
      feed: { build: () => last },
      recording: { store, readOnly: true },
    }).catch((err: unknown) => {
      throw asUsageError(err);
    });
    printText(
      `eni-view: serving recording "${recording.name}" (${recording.from} to ${recording.to}) from ${file} at ${server.url}/ (Ctrl-C to stop)`,
    );
    await untilSignal();
    await server.close();
    return 0;
  } catch (err) {
    store.close();
    throw err;
  }
}

export const serve: Command = {
  name: "serve",
  summary: "serve the live dashboard and API for a cluster, the simulator or a capture folder",
  help: `Usage: eni-view serve [--source cluster|sim|dump] [options]

Watches Kubernetes and polls EC2 (read-only: get, list, watch and Describe* only) and serves the
dashboard, /api/topology, /api/stream (server-sent events), /api/history, /livez, /readyz and /metrics,
and keeps the dashboard's "Freeze" snapshots (/api/snapshots) in its own file.

Options:
  --port N                port to listen on (default 8080)
  --host ADDR             address to listen on (default 127.0.0.1)
  --frame-ancestors SRC   allow framing by these CSP sources (default: never framed)
  --web-dist DIR          the built dashboard (default apps/web/dist)
  --probe-port N          also answer /livez on this port, from a thread of its own, so a busy main thread
                          (a big cluster's topology build, a garbage collection) cannot make the kubelet's
                          liveness probe time out; 503 only when the main thread has not run for 30 s
  --recording FILE        replay a recording file (\`eni-view record --out\`, or a --snapshot-db file)
                          instead of watching a cluster; --recording-id ID picks one of several in it

${accessOptionHelp}

${recordOptionHelp}

${sourceOptionHelp}

${haOptionHelp}

Examples:
  eni-view serve                                   # the current kubeconfig context
  eni-view serve --context prod --region eu-west-1
  eni-view serve --source sim --scenario scale-lab --speed 5
  eni-view serve --dump ./capture
  ENI_VIEW_AUTH_TOKEN=$(openssl rand -hex 32) eni-view serve --host 0.0.0.0`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      ...sourceOptionSpec,
      port: { type: "string" },
      host: { type: "string" },
      "frame-ancestors": { type: "string" },
      "web-dist": { type: "string" },
      "probe-port": { type: "string" },
      recording: { type: "string" },
      "recording-id": { type: "string" },
      ...accessOptionSpec,
      ...recordOptionSpec,
      ...haOptionSpec,
    });
    const port = parsePort(values.port, 8080);
    const host = parseHost(values.host);
    const frameAncestors = frameAncestorsOption(values["frame-ancestors"]);
    const access = accessFromOptions(values);
    if (values.recording !== undefined)
      return serveRecording(
        values.recording,
        values["recording-id"],
        { host, port, webDist: values["web-dist"], frameAncestors },
        access.authToken,
      );
    const record = recordFromOptions(values);
    const ha = haFromOptions(
      values,
      port,
      (positiveNumber("ec2-interval", values["ec2-interval"], 1, 3600) ?? 15) * 1000,
    );
    if (ha && (values.source ?? (values.dump ? "dump" : "cluster")) !== "cluster")
      throw new UsageError(
        "--leader-elect applies only to --source cluster (replicas of one cluster's server)",
      );
    const replica = ha
      ? new Replica(ha, loadKubeConfig({ context: values.context, kubeconfigPath: values.kubeconfig }), {
          log: (message) => printText(`eni-view: ${message}`),
        })
      : null;
    const source = await sourceFromOptions(
      values,
      ["cluster", "sim", "dump"],
      replica ? { ec2Half: replica.ec2Half } : {},
    );
    const probePort =
      values["probe-port"] === undefined ? undefined : parsePort(values["probe-port"], 0, "--probe-port");
    return runServerUntilSignal(
      source,
      access,
      { host, port, webDist: values["web-dist"], frameAncestors, probePort },
      (url, probeUrl) => ({
        first: `eni-view: serving ${source.kind} at ${url}/ (Ctrl-C to stop)`,
        last: probeUrl ? [`liveness probe: ${probeUrl}/livez`] : [],
      }),
      record,
      replica,
    );
  },
};

export default serve;
