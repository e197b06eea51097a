import type { AuthTokens } from "../auth.ts";
import { Replica } from "../ha/replica.ts";
import { serverSay, sourceKindText, t } from "../i18n/cliText.ts";
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
      t("serve.servingRecording", {
        name: recording.name,
        from: recording.from,
        to: recording.to,
        file,
        url: server.url,
      }),
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
  get help() {
    return t("serve.help", {
      access: accessOptionHelp(),
      record: recordOptionHelp(),
      source: sourceOptionHelp(),
      ha: haOptionHelp(),
    });
  },
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
      throw new UsageError(t("serve.leaderElectCluster"));
    const replica = ha
      ? new Replica(ha, loadKubeConfig({ context: values.context, kubeconfigPath: values.kubeconfig }), {
          log: ({ key, values }) => printText(`eni-view: ${serverSay(key, values)}`),
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
        first: t("serve.serving", { kind: sourceKindText(source.kind), url }),
        last: probeUrl ? [t("serve.probe", { url: probeUrl })] : [],
      }),
      record,
      replica,
    );
  },
};

export default serve;
