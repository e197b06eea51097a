// `eni-view plan`: what the cluster looks like once a change has settled, before making it. Reads the
// cluster once (a capture folder, a live cluster or the simulator, read-only as every source is), runs
// the model's planner and prints the plan.
import { type ClusterInput, PlanInputError, type PlanResult, planCluster } from "@eni-view/model";
import { CaptureError, readCaptureFolder } from "../sources/dump/index.ts";
import type { Source } from "../sources/source.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import { outputFormat, outputOptionHelp, outputOptionSpec, printStructured } from "./outputFormat.ts";
import { planChanges, planFlagSpec, planQuestions } from "./planOptions.ts";
import { formatPlan } from "./planText.ts";
import {
  fileSizeOption,
  positiveNumber,
  sourceFromOptions,
  sourceOptionHelp,
  sourceOptionSpec,
} from "./sourceOptions.ts";
import { printText } from "./terminalText.ts";

const help = `Usage: eni-view plan [source options] CHANGE... [QUESTION...] [-o json|yaml|wide]

Plans a change before you make it: what the cluster looks like once the change has settled, with the
same scheduler and VPC CNI (IPAMD) rules the simulator runs. Per node the ENIs, IPs or /28 prefixes,
pods and warm IPs; the pods that would stay Pending with the scheduler's or kubelet's message; each
subnet's free addresses and /28 blocks; the EC2 calls IPAMD would make against the account's throttling
buckets; the time to settle; the first limit hit. IPAMD picks IPs and prefixes in no fixed order, so the
plan runs several seeds and shows a range "a-b" where they end differently. It never changes anything.

Changes (repeat any; combine freely):
  --scale [KIND/]NS/NAME=N     set a workload's replicas (KIND: deployment (default), statefulset,
                               replicaset)
  --more NS/POD=N              N more pods like this one (its requests, node selector and owner)
  --set KEY=VALUE              an aws-node setting: WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET,
                               WARM_PREFIX_TARGET, ENABLE_PREFIX_DELEGATION, ENABLE_POD_ENI,
                               AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG, ENI_CONFIG_LABEL_DEF, MAX_ENI,
                               IP_COOLDOWN_PERIOD
  --eni-config NAME=SUBNET     create or change an ENIConfig (custom networking)
  --add-nodes GROUP=N[:TYPE]   N more nodes in a node group (of another instance type if given)
  --remove-nodes GROUP=N       N fewer nodes (the newest go, as the group scales in)
  --new-node-group NAME=TYPE:N[:MAXPODS][@SUBNET,...]
                               a new node group (one node per zone of the node subnets, unless given)
  --instance-type GROUP=TYPE   change a group's instance type: its nodes are replaced
  --roll GROUP                 replace a group's nodes (kubelet max pods follows the new settings)
  --roll-nodes                 replace every node group's nodes

Questions:
  --fit [KIND/]NS/NAME         how many replicas fit as the cluster is (after the changes)
  --nodes-for NS/POD=N --type TYPE [--node-group GROUP]
                               how many TYPE nodes hold N more pods like this one
  --types-for NS/POD=N --family FAMILY [--node-group GROUP]
                               which types of a family (m5, c6i ...) hold them with the fewest nodes,
                               ENIs or subnet addresses

Options:
  --seeds N    how many seeds to run (default 5, 1 to 50)
  --timeout SECONDS  how long to wait for a live cluster or the simulator to be read (default 60)
${outputOptionHelp({
  json: "the planned cluster in the report's shape, plus a changes section and the plan",
  yaml: "the same as YAML",
  wide: "every node, not only those that change",
})}
  --debug      show the stack trace of an error

${sourceOptionHelp}

Exit codes: 0 planned, 1 the cluster could not be read, 2 bad input (an unknown workload, node group,
setting or instance type, a negative count, a value aws-node would refuse).

Examples:
  eni-view plan --dump ./capture --scale default/nginx-deployment=50
  eni-view plan --dump ./capture --scale default/nginx-deployment=50 --set ENABLE_PREFIX_DELEGATION=true \\
      --roll-nodes
  eni-view plan --source sim --scenario scale-lab --fit default/nginx-deployment
  eni-view plan --dump ./capture --types-for default/web-0=200 --family m5 -o json`;

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
      .map(([name, s]) => `${name}: ${s?.error ?? "no answer yet"}`);
    throw new Error(
      `the cluster was not read within ${timeoutMs / 1000} s (${waiting.join("; ") || "no answer"})`,
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
  help,
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
      throw new UsageError(`--seeds must be a whole number, got "${values.seeds}"`);
    const timeoutMs = (positiveNumber("timeout", values.timeout, 1, 3600) ?? 60) * 1000;
    let cluster: ClusterInput;
    const kind = values.source ?? (values.dump ? "dump" : "cluster");
    if (kind === "dump") {
      if (!values.dump) throw new UsageError("--source dump needs --dump DIR (a capture folder)");
      try {
        cluster = await readCaptureFolder(values.dump, {
          maxFileBytes: fileSizeOption(values["max-file-size"]),
        });
      } catch (err) {
        if (err instanceof CaptureError) throw new UsageError(err.message, err.code);
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
      if (err instanceof PlanInputError) throw new UsageError(err.message, err.code);
      throw err;
    }
    if (printStructured(format, () => planDocument(result))) return 0;
    printText(formatPlan(result, format === "wide"));
    return 0;
  },
};

export default plan;
