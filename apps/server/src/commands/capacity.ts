// `eni-view capacity [TYPE...]`: ENIs, IPs per ENI and max pods per instance type, in any CNI mode.
import { allInstanceTypes, capacityFor, lookupInstanceType, type NodeCapacity } from "@eni-view/model";
import { reportSentence, t } from "../i18n/cliText.ts";
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

/** The --help text, in the CLI's language. */
function help(): string {
  return t("capacity.help", {
    count: allInstanceTypes().length,
    output: outputOptionHelp({
      json: t("capacity.out.json"),
      yaml: t("capacity.out.yaml"),
      wide: t("capacity.out.wide"),
      name: t("capacity.out.name"),
    }),
  });
}

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
      // count picks "type" or "types"; the table's size is given as total.
      t("capacity.unknown", {
        count: unknown.length,
        total: known.length,
        types: unknown.map((u) => `"${u}"`).join(", "),
        near: near.length > 0 ? t("capacity.near", { family, types: near.join(", ") }) : "",
      }),
      "unknown-instance-type",
    );
  }
  return [...new Set(out)];
}

function positiveInt(text: string | undefined, flag: string): number | null {
  if (text === undefined) return null;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(t("capacity.positive", { flag, text }));
  return Number(text);
}

const command: Command = {
  name: "capacity",
  summary: "max ENIs, IPs per ENI and max pods per instance type",
  get help() {
    return help();
  },
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
      { header: t("capacity.col.type"), value: (c) => c.instanceType },
      { header: t("capacity.col.vcpus"), value: (c) => c.vcpus },
      { header: t("capacity.col.enis"), value: (c) => c.maxEnis },
      { header: t("capacity.col.ipv4"), value: (c) => c.ipv4PerEni },
      { header: t("capacity.col.podEnis"), value: (c) => c.podEnis },
      { header: t(pd ? "capacity.col.podIpsPd" : "capacity.col.podIps"), value: (c) => c.podIps },
      { header: t("capacity.col.maxPods"), value: (c) => c.maxPods },
      ...(pd ? [{ header: t("capacity.col.uncapped"), value: (c: NodeCapacity) => c.maxPodsUncapped }] : []),
      { header: t("capacity.col.mode"), value: (c) => t(`capacity.mode.${c.mode}`) },
      ...(wide
        ? [
            {
              header: t("capacity.col.hypervisor"),
              value: (c: NodeCapacity) => facts(c)?.hypervisor ?? null,
            },
            { header: t("capacity.col.cards"), value: (c: NodeCapacity) => facts(c)?.networkCards ?? null },
            { header: t("capacity.col.branch"), value: (c: NodeCapacity) => facts(c)?.branchEnis ?? null },
          ]
        : []),
    ]);
    const notes = rows.flatMap((c) => c.notes ?? []);
    printText([table, ...notes.map((n) => t("capacity.note", { note: reportSentence(n) }))].join("\n"));
    return 0;
  },
};

export default command;
