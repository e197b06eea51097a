import { join } from "node:path";
import { writeCapture } from "../capture/writeCapture.ts";
import type { ClusterSource } from "../sources/clusterSource.ts";
import type { Source } from "../sources/source.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import { outputFormat, outputOptionHelp, outputOptionSpec, printStructured } from "./outputFormat.ts";
import {
  asUsageError,
  positiveNumber,
  sourceFromOptions,
  sourceOptionHelp,
  sourceOptionSpec,
} from "./sourceOptions.ts";
import { printText, terminalSafe } from "./terminalText.ts";
import { formatTable } from "./textTable.ts";

type Raw = ReturnType<ClusterSource["raw"]>;

/** Refusals that waiting cannot change: the credentials are missing, expired or not allowed. A capture
 * stops at once with them instead of at its timeout. */
const FINAL_ERROR =
  /^(NoCredentials|UnauthorizedOperation|AuthFailure|ExpiredToken|RequestExpired|Unauthorized)\b/;

/** Waits until both halves have answered once, then takes the documents behind that moment. */
async function captureFrom(source: Source & { raw(): Raw }, timeoutMs: number): Promise<NonNullable<Raw>> {
  let wake: () => void = () => {};
  await source.start(() => wake());
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const snapshot = source.snapshot();
    const raw = source.raw();
    if (snapshot.ready && raw?.ec2 && raw.kube.crdsAnswered) return raw;
    for (const [name, status] of Object.entries(snapshot.sources)) {
      if (status?.error && FINAL_ERROR.test(status.error)) throw new UsageError(`${name}: ${status.error}`);
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, 250).unref();
    });
  }
  const { sources } = source.snapshot();
  const waiting = Object.entries(sources)
    .filter(([, s]) => s?.lastSuccess === null || s?.error)
    .map(([name, s]) => `${name}: ${s?.error ?? "no answer yet"}`);
  throw new Error(
    `no complete data within ${timeoutMs / 1000} s (${waiting.join("; ") || "sources not started"})`,
  );
}

export const capture: Command = {
  name: "capture",
  summary: "write a capture folder (kubectl and aws CLI JSON) from a live cluster or the simulator",
  help: `Usage: eni-view capture --out DIR [--source cluster|sim] [options]

Reads the cluster once the way \`serve\` does (read-only) and writes the files \`eni-view report --dump DIR\`
and \`eni-view serve --dump DIR\` read: nodes.json, pods.json, events.json, aws-node.json, and
eniconfigs.json and cninodes.json when those CRDs are installed (kubectl's JSON), and
network-interfaces.json, instances.json, subnets.json (the aws CLI's JSON). Pod env, annotations and
secrets are left out.

Options:
  --out DIR               the folder to write (created if missing; existing capture files are replaced)
  --timeout SECONDS       give up when the cluster has not answered by then (default 60); missing or
                          refused credentials stop it at once
${outputOptionHelp({
  json: "the folder and each file written, with its objects and bytes, as JSON",
  yaml: "the same as YAML",
  wide: "a table of the files written, their objects and bytes",
  name: "the path of each file written, one a line",
})}
${sourceOptionHelp}

Examples:
  eni-view capture --out ./capture --context prod
  eni-view capture --out ./lab --source sim --scenario scale-lab`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      ...sourceOptionSpec,
      out: { type: "string" },
      timeout: { type: "string" },
      ...outputOptionSpec,
    });
    const format = outputFormat(values);
    if (!values.out) throw new UsageError("--out DIR is required: the folder to write the capture to");
    const timeoutMs = (positiveNumber("timeout", values.timeout, 1, 3600) ?? 60) * 1000;
    const source = await sourceFromOptions(values, ["cluster", "sim"]);
    const live = source as Source & { raw(): Raw; keepRaw(): void };
    // A server keeps only the model inputs; a capture needs the documents they came from.
    live.keepRaw();
    try {
      const raw = await captureFrom(live, timeoutMs).catch((err: unknown) => {
        throw asUsageError(err);
      });
      const files = await writeCapture(values.out, raw.kube, raw.ec2!);
      const out = values.out;
      if (printStructured(format, () => ({ out, files }))) return 0;
      if (format === "name") printText(files.map((f) => terminalSafe(join(out, f.file))).join("\n"));
      else if (format === "wide") {
        printText(
          formatTable(files, [
            { header: "FILE", value: (f) => join(out, f.file) },
            { header: "OBJECTS", value: (f) => f.items },
            { header: "BYTES", value: (f) => f.bytes },
          ]),
        );
      } else printText(`eni-view: wrote ${files.map((f) => f.file).join(", ")} to ${terminalSafe(out)}`);
    } finally {
      await source.stop();
    }
    return 0;
  },
};

export default capture;
