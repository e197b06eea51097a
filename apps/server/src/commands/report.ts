// `eni-view report --dump DIR`: the cluster as the VPC CNI sees it, from a capture folder.
import {
  buildReport,
  eniTotal,
  groupPendingPods,
  knownTotal,
  type NodeReport,
  nodeEniText,
  type PendingPodReport,
  type Report,
} from "@eni-view/model";
import { reportSentence, t } from "../i18n/cliText.ts";
import { CaptureError, readCaptureFolder } from "../sources/dump/index.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import {
  outputFormat,
  outputOptionHelp,
  outputOptionSpec,
  printNames,
  printStructured,
} from "./outputFormat.ts";
import { pendingWhy } from "./pendingWhy.ts";
import { momentFromFile, openRecordingFile, pickRecording } from "./recordingFile.ts";
import { hasProblem, problemsSection } from "./reportProblems.ts";
import { NODE_SORTS, type NodeSort, parseNodeSort, selectReport } from "./reportSelection.ts";
import { asUsageError, fileSizeOption } from "./sourceOptions.ts";
import { addressRuns, findSubnet, formatAddressMap, subnetSection } from "./subnetText.ts";
import { printText, terminalSafe } from "./terminalText.ts";
import { formatTable, wrap } from "./textTable.ts";

/** The --help text, in the CLI's language. */
function help(): string {
  return t("report.help", {
    output: outputOptionHelp({
      json: t("report.out.json"),
      yaml: t("report.out.yaml"),
      wide: t("report.out.wide"),
      name: t("report.out.name"),
    }),
    sorts: Object.keys(NODE_SORTS)
      .map((k) => `                 ${k.padEnd(12)} ${t(`report.sort.${k as NodeSort}`)}`)
      .join("\n"),
  });
}

function cniLine(report: Report): string {
  const cni = report.cluster.cni;
  const parts = [t(cni.prefixDelegation ? "report.cni.pd" : "report.cni.secondary")];
  if (cni.customNetworking) parts.push(t("report.cni.custom"));
  if (cni.podEni) parts.push(t("report.cni.sgp"));
  if (cni.warmIpTarget !== null) parts.push(`WARM_IP_TARGET=${cni.warmIpTarget}`);
  if (cni.minimumIpTarget !== null) parts.push(`MINIMUM_IP_TARGET=${cni.minimumIpTarget}`);
  if (cni.prefixDelegation && cni.warmPrefixTarget !== null)
    parts.push(`WARM_PREFIX_TARGET=${cni.warmPrefixTarget}`);
  if (!cni.prefixDelegation && cni.warmIpTarget === null && cni.minimumIpTarget === null) {
    parts.push(`WARM_ENI_TARGET=${cni.warmEniTarget ?? 1}`);
  }
  if (cni.maxEni !== null) parts.push(`MAX_ENI=${cni.maxEni}`);
  const version = cni.version
    ? t("report.cni.version", { version: cni.version })
    : cni.detected
      ? t("report.cni.detected")
      : t("report.cni.assumed");
  return `${version}: ${parts.join(", ")}`;
}

/** Nodes whose pods are limited by no ENI figure (IPv6 /80, hybrid pod CIDRs), left out of "by ENI". */
function notByEni(report: Report): string {
  const n = report.nodes.filter((x) => x.maxPodsByEni === null && x.capacity.known).length;
  return n > 0 ? t("report.notByEni", { count: n }) : "";
}

/** " (2 ec2, 1 fargate)" when the nodes are of more than one kind or of another kind than ec2. */
function kindsText(kinds: Report["summary"]["kinds"]): string {
  const parts = Object.entries(kinds).map(([kind, count]) => `${count} ${kind}`);
  return parts.length === 0 || (parts.length === 1 && kinds.ec2 !== undefined)
    ? ""
    : ` (${parts.join(", ")})`;
}

/** The domain every node name shares (".ap-northeast-2.compute.internal"), left out of the tables. */
function commonDomain(nodes: readonly NodeReport[]): string {
  const first = nodes[0]?.name ?? "";
  const dot = first.indexOf(".");
  if (dot < 0) return "";
  const domain = first.slice(dot);
  return nodes.every((n) => n.name.endsWith(domain) && n.name.length > domain.length) ? domain : "";
}

function nodesTable(report: Report, short: (name: string) => string, wide: boolean): string {
  return formatTable(report.nodes, [
    { header: t("report.col.node"), value: (n) => short(n.name) },
    ...(wide
      ? [
          { header: t("report.col.instance"), value: (n: NodeReport) => n.instanceId },
          { header: t("report.col.internalIp"), value: (n: NodeReport) => n.internalIp },
          { header: t("report.col.nodeGroup"), value: (n: NodeReport) => n.nodeGroup },
          { header: t("report.col.capacity"), value: (n: NodeReport) => n.capacityType },
        ]
      : []),
    { header: t("report.col.type"), value: (n) => n.instanceType },
    { header: t("report.col.kind"), value: (n) => (n.ipFamily === "ipv6" ? `${n.kind},ipv6` : n.kind) },
    { header: t("report.col.zone"), value: (n) => n.zone },
    { header: t("report.col.enis"), right: true, value: nodeEniText },
    { header: t("report.col.ips"), value: (n) => n.ipsAssigned },
    { header: t("report.col.used"), value: (n) => n.ipsUsed },
    { header: t("report.col.warm"), value: (n) => n.ipsWarm },
    {
      header: t("report.col.podsMax"),
      right: true,
      value: (n) => `${n.pods}/${n.maxPods ?? "?"}${n.overcommitted ? "*" : ""}`,
    },
    {
      header: t("report.col.byEni"),
      value: (n) =>
        n.maxPodsByEni === null
          ? null
          : n.branchEnis
            ? `${n.maxPodsByEni}+${n.branchEnis}br`
            : n.maxPodsByEni,
    },
    {
      header: t("report.col.state"),
      value: (n) =>
        [
          t(n.ready ? "report.state.ready" : "report.state.notReady"),
          ...(n.cordoned ? [t("report.state.cordoned")] : []),
        ].join(","),
    },
  ]);
}

function enisTable(report: Report, short: (name: string) => string): string {
  const rows = report.nodes.flatMap((node) => node.enis.map((eni) => ({ node, eni })));
  return formatTable(rows, [
    { header: t("report.col.node"), value: (r) => short(r.node.name) },
    {
      header: t("report.col.dev"),
      value: (r) =>
        r.eni.role === "branch" || r.eni.role === "fargate"
          ? null
          : r.eni.onDefaultCard
            ? r.eni.deviceIndex
            : `card${r.eni.networkCardIndex}:${r.eni.deviceIndex}`,
    },
    { header: t("report.col.eni"), value: (r) => r.eni.id },
    { header: t("report.col.role"), value: (r) => r.eni.role },
    { header: t("report.col.subnet"), value: (r) => r.eni.subnetId },
    { header: t("report.col.ips"), value: (r) => r.eni.ipsAssigned },
    { header: t("report.col.used"), value: (r) => r.eni.ipsUsed },
    { header: t("report.col.warm"), value: (r) => (r.eni.podCapacity ? r.eni.ipsWarm : null) },
    {
      header: t("report.col.prefixes"),
      value: (r) => (r.eni.prefixes.length > 0 ? r.eni.prefixes.join(" ") : ""),
    },
  ]);
}

/** Custom networking and CNINode features per node: which subnet its pods' ENIs come from. Only nodes
 * that name an ENIConfig or have a CNINode are listed, so a cluster without either prints nothing. */
function customNetworkingTable(report: Report, short: (name: string) => string): string | null {
  const rows = report.nodes.filter((n) => n.eniConfig !== null || n.cniFeatures.length > 0);
  if (rows.length === 0) return null;
  return formatTable(rows, [
    { header: t("report.col.node"), value: (n) => short(n.name) },
    {
      header: t("report.col.eniConfig"),
      value: (n) =>
        n.eniConfig === null
          ? null
          : n.eniConfig.found
            ? n.eniConfig.name
            : t("report.noSuchEniConfig", { name: n.eniConfig.name }),
    },
    { header: t("report.col.podSubnet"), value: (n) => n.eniConfig?.subnetId ?? null },
    {
      header: t("report.col.features"),
      value: (n) => (n.cniFeatures.length > 0 ? n.cniFeatures.join(",") : null),
    },
  ]);
}

/** Node names in a line, shortened, the first few only: a group can hold pods on hundreds of nodes. */
function someNodes(nodes: readonly string[], short: (name: string) => string, max = 4): string {
  const named = nodes.slice(0, max).map(short).join(", ");
  return nodes.length > max ? t("report.moreNodes", { named, count: nodes.length - max }) : named;
}

/** Pending pods grouped as the page's tray groups them: one line per owner, reason and message (sandbox
 * ids stripped), the biggest group first; every pod in a table only when asked (-o wide). */
function pendingSection(
  pending: readonly PendingPodReport[],
  short: (name: string) => string,
  eachPod: boolean,
): string[] {
  const groups = groupPendingPods(pending);
  const out = [
    t("report.pendingTitle", {
      pods: pending.length,
      count: groups.length,
      wide: eachPod ? "" : t("report.pendingWide"),
    }),
  ];
  for (const g of groups) {
    const who = `${g.namespace}/${g.owner ?? t("report.noOwner")}`;
    // The scheduler's and kubelet's message stays verbatim: it is what people search for.
    out.push(
      wrap(
        terminalSafe(t("report.pendingGroup", { count: g.count, who, reason: g.reason, message: g.message })),
        "  ",
        "      ",
      ),
      pendingWhy(g.reason),
    );
    if (g.nodes.length > 0)
      out.push(
        wrap(terminalSafe(t("report.pendingOn", { nodes: someNodes(g.nodes, short) })), "      ", "        "),
      );
  }
  if (eachPod) {
    out.push(
      "",
      formatTable(pending, [
        { header: t("report.col.namespace"), value: (p) => p.namespace },
        { header: t("report.col.name"), value: (p) => p.name },
        { header: t("report.col.owner"), value: (p) => p.owner },
        { header: t("report.col.node"), value: (p) => (p.node === null ? null : short(p.node)) },
        { header: t("report.col.reason"), value: (p) => p.reason },
        { header: t("report.col.status"), value: (p) => p.status },
      ]),
    );
  }
  return out;
}

export interface ReportTextOptions {
  /** Every ENI of every node (--enis; -o wide too). */
  enis?: boolean;
  /** -o wide: more node columns and every Pending pod in a table. */
  wide?: boolean;
  /** The capture folder, named on the first line. */
  source?: string;
}

export function formatReport(report: Report, options: ReportTextOptions = {}): string {
  const s = report.summary;
  const domain = commonDomain(report.nodes);
  const short = (name: string) => (domain && name.endsWith(domain) ? name.slice(0, -domain.length) : name);
  const out: string[] = [];
  if (options.source)
    out.push(
      terminalSafe(
        report.cluster.capturedAt
          ? t("report.captureTaken", { source: options.source, at: report.cluster.capturedAt })
          : t("report.capture", { source: options.source }),
      ),
    );
  const where = [
    report.cluster.name,
    report.cluster.region && t("report.region", { region: report.cluster.region }),
  ].filter(Boolean);
  out.push(terminalSafe([...where, cniLine(report)].join(" · ")));
  out.push(
    t("report.totals", {
      nodes: s.nodes,
      kinds: kindsText(s.kinds),
      attached: s.enisAttached,
      possible: eniTotal(s),
      otherCards: s.enisOtherCards > 0 ? t("report.otherCards", { count: s.enisOtherCards }) : "",
      assigned: s.ipsAssigned,
      used: s.ipsUsed,
      warm: s.ipsWarm,
      pending: s.pendingPods,
    }),
  );
  out.push(
    t("report.pods", {
      pods: s.pods,
      max: s.maxPods,
      byEni: knownTotal(s.maxPodsByEni, s),
      capacityUnknown:
        s.nodesCapacityUnknown > 0 ? t("report.capacityUnknown", { count: s.nodesCapacityUnknown }) : "",
      notByEni: notByEni(report),
      unknownNodes: s.podsOnUnknownNodes > 0 ? t("report.unknownNodes", { count: s.podsOnUnknownNodes }) : "",
    }),
  );
  // Problems and warnings first: on a big capture they would otherwise sit a thousand lines down.
  out.push("", ...problemsSection(report, short));
  if (report.warnings.length > 0) {
    out.push(
      "",
      t("report.warnings", { count: report.warnings.length }),
      ...report.warnings.map((w) => wrap(terminalSafe(reportSentence(w)), "  ! ", "    ")),
    );
  }
  out.push("");
  if (report.nodes.length === 0) out.push(t("report.noNodes"));
  else {
    if (domain) out.push(terminalSafe(t("report.nodesDomain", { domain })));
    out.push(nodesTable(report, short, options.wide ?? false));
    if (report.nodes.some((n) => n.overcommitted)) {
      out.push(t("report.overcommitFootnote"));
    }
    out.push(t("report.podsFootnote"));
  }
  const custom = customNetworkingTable(report, short);
  if (custom !== null) {
    out.push("", t("report.customTitle"), custom);
    if (report.cluster.cni.customNetworking) out.push(t("report.customNote"));
  }
  if ((options.enis || options.wide) && report.nodes.length > 0) {
    out.push("", t("report.enisTitle"), enisTable(report, short));
  }
  out.push("");
  out.push(
    ...(report.pending.length > 0
      ? pendingSection(report.pending, short, options.wide ?? false)
      : [t("report.pendingNone")]),
  );
  if (report.zones.length > 1) {
    out.push(
      "",
      t("report.zonesTitle"),
      formatTable(report.zones, [
        { header: t("report.col.zone"), value: (z) => z.zone },
        { header: t("report.col.nodes"), value: (z) => z.nodes },
        {
          header: t("report.col.enis"),
          right: true,
          value: (z) => `${z.enisAttached}/${eniTotal(z)}`,
        },
        { header: t("report.col.ips"), value: (z) => z.ipsAssigned },
        { header: t("report.col.used"), value: (z) => z.ipsUsed },
        { header: t("report.col.warm"), value: (z) => z.ipsWarm },
        { header: t("report.col.podsMax"), right: true, value: (z) => `${z.pods}/${z.maxPods}` },
        { header: t("report.col.byEni"), value: (z) => knownTotal(z.maxPodsByEni, z) },
        // Free addresses of the subnets the zone's ENIs use: with no ENI known there, none is known.
        {
          header: t("report.col.subnetFree"),
          value: (z) => (z.enisAttached > 0 ? z.subnetAvailableIps : "-"),
        },
      ]),
    );
  }
  if (report.subnets.length > 0) out.push("", ...subnetSection(report));
  if (report.detachedEnis.length > 0) {
    out.push(
      "",
      t("report.detachedTitle"),
      formatTable(report.detachedEnis, [
        { header: t("report.col.eni"), value: (e) => e.id },
        { header: t("report.col.subnet"), value: (e) => e.subnetId },
        { header: t("report.col.ips"), value: (e) => e.ips },
        { header: t("report.col.madeFor"), value: (e) => e.instanceId },
        { header: t("report.col.created"), value: (e) => e.createdAt },
      ]),
    );
  }
  return out.join("\n");
}

const command: Command = {
  name: "report",
  summary: "print the nodes, ENIs, IPs and Pending pods of a captured cluster",
  get help() {
    return help();
  },
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      dump: { type: "string" },
      "max-file-size": { type: "string" },
      ...outputOptionSpec,
      enis: { type: "boolean" },
      node: { type: "string", multiple: true },
      problems: { type: "boolean" },
      sort: { type: "string" },
      subnets: { type: "string" },
      recording: { type: "string" },
      at: { type: "string" },
      id: { type: "string" },
    });
    const format = outputFormat(values);
    const sort = parseNodeSort(values.sort);
    if (values.recording !== undefined && values.dump !== undefined)
      throw new UsageError(t("report.errors.both"));
    if (values.recording === undefined && (values.at !== undefined || values.id !== undefined))
      throw new UsageError(t("report.errors.atId"));
    if (!values.dump && values.recording === undefined) {
      throw new UsageError(t("report.errors.dump"));
    }
    let full: Report;
    let from = values.dump ?? "";
    try {
      if (values.recording !== undefined) {
        if (values.at === undefined) throw new UsageError(t("report.errors.at"));
        const store = await openRecordingFile(values.recording);
        try {
          const recording = pickRecording(store, values.id);
          const moment = await momentFromFile(store, recording, values.at);
          full = moment;
          from = t("report.recordingFrom", {
            file: values.recording,
            name: recording.name,
            at: moment.recorded.frameAt,
          });
        } finally {
          store.close();
        }
      } else
        full = buildReport(
          await readCaptureFolder(values.dump ?? "", {
            maxFileBytes: fileSizeOption(values["max-file-size"]),
          }),
        );
    } catch (err) {
      if (err instanceof CaptureError) throw asUsageError(err);
      throw err;
    }
    if (values.subnets !== undefined) {
      const subnet = findSubnet(full, values.subnets);
      if (format === "name" || format === "wide")
        throw new UsageError(t("report.errors.subnetsFormat", { format }));
      if (printStructured(format, () => addressRuns(full, subnet))) return 0;
      printText(formatAddressMap(full, subnet));
      return 0;
    }
    const report = selectReport(
      full,
      { nodes: values.node, sort, ...(values.problems ? { keep: hasProblem(full) } : {}) },
      commonDomain(full.nodes),
    );
    if (printStructured(format, () => report)) return 0;
    if (format === "name")
      printNames(
        "node",
        report.nodes.map((n) => n.name),
      );
    else
      printText(formatReport(report, { enis: values.enis ?? false, wide: format === "wide", source: from }));
    return 0;
  },
};

export default command;
