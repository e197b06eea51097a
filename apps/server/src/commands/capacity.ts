// `eni-view capacity [TYPE...]`: ENIs, IPs per ENI and max pods per instance type, in any CNI mode.
import { allInstanceTypes, capacityFor, lookupInstanceType, type NodeCapacity } from "@eni-view/model";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import { compareInstanceTypes } from "./instanceSize.ts";
import {
  outputFormat,
  outputOptionHelp,
  outputOptionSpec,
  printNames,
  printStructured,
} from "./outputFormat.ts";
import { printText } from "./terminalText.ts";
import { formatTable } from "./textTable.ts";

const help = `Usage: eni-view capacity [TYPE...] [--prefix-delegation] [--custom-networking] [--max-eni N]
                         [-o json|yaml|wide|name]

Max ENIs (default network card), IPv4 addresses per ENI, vCPUs and max pods by the AWS formula for each
instance type; every known type (${allInstanceTypes().length}) when none is named. A TYPE may use * as a wildcard ("t3.*"):
the types it matches are listed family by family, small to large.

  secondary IPs (default)  ENIs x (IPv4 per ENI - 1) + 2
  --prefix-delegation      ENIs x (IPv4 per ENI - 1) x 16 + 2, capped at 110 (<= 30 vCPUs) or 250
  --custom-networking      the primary ENI holds no pod IPs: one ENI fewer
  --max-eni N              MAX_ENI: use at most N ENIs
${outputOptionHelp({
  json: "the figures as JSON",
  yaml: "the same as YAML",
  wide: "also the hypervisor, network cards and branch ENIs (security groups for pods)",
  name: "instancetype/NAME of each type, one a line",
})}

The +2 is aws-node and kube-proxy, hostNetwork pods that count toward max pods but take no IP.

Examples:
  eni-view capacity t3.medium c5d.large
  eni-view capacity 't3.*' --prefix-delegation`;

function matchTypes(patterns: string[]): string[] {
  const known = allInstanceTypes().map((f) => f.instanceType);
  if (patterns.length === 0) return [...known].sort(compareInstanceTypes);
  const out: string[] = [];
  const unknown: string[] = [];
  for (const pattern of patterns) {
    const p = pattern.trim().toLowerCase();
    if (p.includes("*")) {
      // A pattern names a family (or several): list it small to large.
      const re = new RegExp(
        `^${p
          .split("*")
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
      );
      const hits = known.filter((t) => re.test(t)).sort(compareInstanceTypes);
      if (hits.length === 0) unknown.push(pattern);
      out.push(...hits);
    } else if (known.includes(p)) out.push(p);
    else unknown.push(pattern);
  }
  if (unknown.length > 0) {
    const family = unknown[0]!.toLowerCase().split(".")[0] ?? "";
    const near = known.filter((t) => t.startsWith(`${family}.`)).slice(0, 6);
    throw new UsageError(
      `unknown instance type${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}: not in the built-in table of ${known.length} types${near.length > 0 ? ` (${family}.* has ${near.join(", ")} ...)` : ""}`,
      "unknown-instance-type",
    );
  }
  return [...new Set(out)];
}

function positiveInt(text: string | undefined, flag: string): number | null {
  if (text === undefined) return null;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`${flag} must be a whole number >= 1, got "${text}"`);
  return Number(text);
}

const command: Command = {
  name: "capacity",
  summary: "max ENIs, IPs per ENI and max pods per instance type",
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        "prefix-delegation": { type: "boolean" },
        "custom-networking": { type: "boolean" },
        "max-eni": { type: "string" },
        ...outputOptionSpec,
      },
      true,
    );
    const format = outputFormat(values);
    const options = {
      prefixDelegation: values["prefix-delegation"] ?? false,
      customNetworking: values["custom-networking"] ?? false,
      maxEni: positiveInt(values["max-eni"], "--max-eni"),
    };
    const rows: NodeCapacity[] = matchTypes(positionals).map((t) => capacityFor(t, options));
    if (printStructured(format, () => rows)) return 0;
    if (format === "name") {
      printNames(
        "instancetype",
        rows.map((c) => c.instanceType),
      );
      return 0;
    }
    const wide = format === "wide";
    const facts = (c: NodeCapacity) => lookupInstanceType(c.instanceType);
    const pd = options.prefixDelegation;
    const table = formatTable(rows, [
      { header: "TYPE", value: (c) => c.instanceType },
      { header: "VCPUS", value: (c) => c.vcpus },
      { header: "ENIS", value: (c) => c.maxEnis },
      { header: "IPV4/ENI", value: (c) => c.ipv4PerEni },
      { header: "POD ENIS", value: (c) => c.podEnis },
      { header: pd ? "POD IPS (/28 x16)" : "POD IPS", value: (c) => c.podIps },
      { header: "MAX PODS", value: (c) => c.maxPods },
      ...(pd ? [{ header: "UNCAPPED", value: (c: NodeCapacity) => c.maxPodsUncapped }] : []),
      { header: "MODE", value: (c) => c.mode },
      ...(wide
        ? [
            { header: "HYPERVISOR", value: (c: NodeCapacity) => facts(c)?.hypervisor ?? null },
            { header: "CARDS", value: (c: NodeCapacity) => facts(c)?.networkCards ?? null },
            { header: "BRANCH ENIS", value: (c: NodeCapacity) => facts(c)?.branchEnis ?? null },
          ]
        : []),
    ]);
    const notes = rows.flatMap((c) => c.notes ?? []);
    printText([table, ...notes.map((n) => `note: ${n}`)].join("\n"));
    return 0;
  },
};

export default command;
