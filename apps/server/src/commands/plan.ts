// `eni-view plan`: what the cluster looks like once a change has settled, before making it. Reads the
// cluster once (a capture folder, a live cluster or the simulator, read-only as every source is), runs
// the model's planner and prints the plan.
import { type ClusterInput, PlanInputError, type PlanResult, planCluster } from "@eni-view/model";
import { plannerSentence, sourceReason, t } from "../i18n/cliText.ts";
import { CaptureError, readCaptureFolder } from "../sources/dump/index.ts";
import type { Source } from "../sources/source.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import { outputFormat, outputOptionHelp, outputOptionSpec, printStructured } from "./outputFormat.ts";
import { planChanges, planFlagSpec, planQuestions } from "./planOptions.ts";
import { formatPlan } from "./planText.ts";
import {
  asUsageError,
  fileSizeOption,
  positiveNumber,
  sourceFromOptions,
  sourceOptionHelp,
  sourceOptionSpec,
} from "./sourceOptions.ts";
import { printText } from "./terminalText.ts";

/** The --help text, in the CLI's language. */
function help(): string {
  return t("plan.help", {
    output: outputOptionHelp({
      json: t("plan.out.json"),
      yaml: t("plan.out.yaml"),
      wide: t("plan.out.wide"),
    }),
    source: sourceOptionHelp(),
  });
}

async function readOnce(source: Source, timeoutMs: number): Promise<ClusterInput> {
  let wake: () => void = () => {};
  await source.start(() => wake());
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const s = source.snapshot();
      if (s.ready && s.loaded && s.input !== null) return s.input;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 250).unref();
      });
    }
    const waiting = Object.entries(source.snapshot().sources)
      .filter(([, s]) => s?.lastSuccess === null || s?.error)
      .map(([name, s]) => `${name}: ${s?.error ? sourceReason(s.error) : t("capture.noAnswerYet")}`);
    throw new Error(
      t("plan.notRead", { seconds: timeoutMs / 1000, waiting: waiting.join("; ") || t("plan.noAnswer") }),
    );
  } finally {
    await source.stop();
  }
}

/** The planned cluster in the report's shape, with the changes and the plan beside it. */
export function planDocument(plan: PlanResult): Record<string, unknown> {
  const { report, changes, ...rest } = plan;
  return { ...report, changes, plan: rest };
}

export const plan: Command = {
  name: "plan",
  summary: "plan a scale-up, node change or CNI setting: the cluster once it has settled, before you do it",
  get help() {
    return help();
  },
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      ...sourceOptionSpec,
      ...planFlagSpec,
      seeds: { type: "string" },
      timeout: { type: "string" },
      ...outputOptionSpec,
    });
    const format = outputFormat(values, ["text", "json", "yaml", "wide"]);
    const changes = planChanges(values);
    const questions = planQuestions(values);
    const seedCount = positiveNumber("seeds", values.seeds, 1, 50) ?? 5;
    if (!Number.isInteger(seedCount))
      throw new UsageError(t("args.wholeNumber", { flag: "seeds", value: values.seeds }));
    const timeoutMs = (positiveNumber("timeout", values.timeout, 1, 3600) ?? 60) * 1000;
    let cluster: ClusterInput;
    const kind = values.source ?? (values.dump ? "dump" : "cluster");
    if (kind === "dump") {
      if (!values.dump) throw new UsageError(t("args.dumpNeedsDir"));
      try {
        cluster = await readCaptureFolder(values.dump, {
          maxFileBytes: fileSizeOption(values["max-file-size"]),
        });
      } catch (err) {
        if (err instanceof CaptureError) throw asUsageError(err);
        throw err;
      }
    } else cluster = await readOnce(await sourceFromOptions(values, ["cluster", "sim"]), timeoutMs);
    let result: PlanResult;
    try {
      result = planCluster({
        cluster,
        changes,
        questions,
        seeds: Array.from({ length: seedCount }, (_, i) => i + 1),
      });
    } catch (err) {
      if (err instanceof PlanInputError) throw new UsageError(plannerSentence(err.message), err.code);
      throw err;
    }
    if (printStructured(format, () => planDocument(result))) return 0;
    printText(formatPlan(result, format === "wide"));
    return 0;
  },
};

export default plan;
