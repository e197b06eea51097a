import { join } from "node:path";
import { writeCapture } from "../capture/writeCapture.ts";
import { sourceReason, t } from "../i18n/cliText.ts";
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
    .map(([name, s]) => `${name}: ${s?.error ? sourceReason(s.error) : t("capture.noAnswerYet")}`);
  throw new Error(
    t("capture.incomplete", {
      seconds: timeoutMs / 1000,
      waiting: waiting.join("; ") || t("capture.notStarted"),
    }),
  );
}

export const capture: Command = {
  name: "capture",
  summary: "write a capture folder (kubectl and aws CLI JSON) from a live cluster or the simulator",
  get help() {
    return t("capture.help", {
      output: outputOptionHelp({
        json: t("capture.out.json"),
        yaml: t("capture.out.yaml"),
        wide: t("capture.out.wide"),
        name: t("capture.out.name"),
      }),
      source: sourceOptionHelp(),
    });
  },
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      ...sourceOptionSpec,
      out: { type: "string" },
      timeout: { type: "string" },
      ...outputOptionSpec,
    });
    const format = outputFormat(values);
    if (!values.out) throw new UsageError(t("capture.outRequired"));
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
            { header: t("capture.col.file"), value: (f) => join(out, f.file) },
            { header: t("capture.col.objects"), value: (f) => f.items },
            { header: t("capture.col.bytes"), value: (f) => f.bytes },
          ]),
        );
      } else
        printText(t("capture.wrote", { files: files.map((f) => f.file).join(", "), out: terminalSafe(out) }));
    } finally {
      await source.stop();
    }
    return 0;
  },
};

export default capture;
