// `eni-view report --dump DIR`: the cluster as the VPC CNI sees it, from a capture folder.
import {
  buildReport,
  groupPendingPods,
  knownTotal,
  type NodeReport,
  nodeEniText,
  type PendingPodReport,
  type Report,
} from "@eni-view/model";
import { CaptureError, readCaptureFolder } from "../sources/dump/index.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import {
  outputFormat,
  outputOptionHelp,
  outputOptionSpec,
  printNames,
  printStructured,
} from "./outputFormat.ts";
import { momentFromFile, openRecordingFile, pickRecording } from "./recordingFile.ts";
import { hasProblem, problemsSection } from "./reportProblems.ts";
import { NODE_SORTS, parseNodeSort, selectReport } from "./reportSelection.ts";
import { fileSizeOption } from "./sourceOptions.ts";
import { addressRuns, findSubnet, formatAddressMap, subnetSection } from "./subnetText.ts";
import { printText, terminalSafe } from "./terminalText.ts";
import { formatTable, wrap } from "./textTable.ts";

const help = `Usage: eni-view report --dump DIR [-o json|yaml|wide|name] [--enis] [--problems] [--node NAME]...
                       [--sort KEY]
       eni-view report --dump DIR --subnets SUBNET [-o json|yaml]
       eni-view report --recording FILE --at TIME [--id ID] [the options above]

Reads a capture folder (the JSON outputs of kubectl and the AWS CLI, see docs/capture-folder.md) and
prints, per node, its ENIs, the IPs assigned to them for pods, used and warm, pods against kubelet's max
pods and against what the ENIs can hold; then the Pending pods, grouped by owner, reason and message.

Options:
  --dump DIR   capture folder holding nodes.json, pods.json, network-interfaces.json, instances.json,
               subnets.json, and optionally events.json, aws-node.json, instance-types.json
  --recording FILE  a recording (\`eni-view record --out\`, or the server's --snapshot-db file) instead of a
               capture folder; --at TIME picks the moment (ISO time, ms since 1970, start or end), --id
               the recording when the file holds several
  --max-file-size SIZE  largest file read, e.g. 200M or 1G (default 500M, at most 511M); only regular
               files (or symlinks to them) are read
${outputOptionHelp({
  json: "the report as JSON (the shape the server serves at /api/topology)",
  yaml: "the same as YAML",
  wide: "more node columns, every ENI and every Pending pod",
  name: "node/NAME of each node shown, one a line",
})}
  --subnets SUBNET  print only this subnet's address map (by id, CIDR or Name tag): every address as one
               character (pod, warm, prefix, node, other ENIs, CIDR reservations, free), 64 a line;
               -o json|yaml gives it as runs of addresses with their holders
  --enis       also list every ENI of every node
  --node NAME  only this node (full name, name without the shared domain, or instance id), its pods
               and its Pending pods; repeat for more. The summary, zones and subnets stay the cluster's.
  --problems   only the nodes with a problem (NotReady, pods waiting for an IP, subnet nearly out,
               overcommitted, full, cordoned, every ENI attached); the Pending pods stay
  --sort KEY   order of the nodes:
${Object.entries(NODE_SORTS)
  .map(([k, v]) => `                 ${k.padEnd(12)} ${v}`)
  .join("\n")}
  --debug      show the stack trace of an error

Pending reasons: too-many-pods (kubelet max pods reached), insufficient-resources (cpu, memory ...),
ip-exhausted (bound to a node that could not give it an IP), starting (bound, waiting for its IP, nothing
failed), unschedulable (any other scheduler reason), other.

Examples:
  eni-view report --dump ./capture
  eni-view report --dump ./capture --sort utilisation -o wide
  eni-view report --dump ./capture -o json | jq '.nodes[] | {name, ipsWarm}'`;

function cniLine(report: Report): string {
  const cni = report.cluster.cni;
  const parts = [cni.prefixDelegation ? "prefix delegation" : "secondary IPs"];
  if (cni.customNetworking) parts.push("custom networking");
  if (cni.podEni) parts.push("security groups for pods");
  if (cni.warmIpTarget !== null) parts.push(`WARM_IP_TARGET=${cni.warmIpTarget}`);
  if (cni.minimumIpTarget !== null) parts.push(`MINIMUM_IP_TARGET=${cni.minimumIpTarget}`);
  if (cni.prefixDelegation && cni.warmPrefixTarget !== null)
    parts.push(`WARM_PREFIX_TARGET=${cni.warmPrefixTarget}`);
  if (!cni.prefixDelegation && cni.warmIpTarget === null && cni.minimumIpTarget === null) {
    parts.push(`WARM_ENI_TARGET=${cni.warmEniTarget ?? 1}`);
  }
  if (cni.maxEni !== null) parts.push(`MAX_ENI=${cni.maxEni}`);
  const version = cni.version
    ? `VPC CNI ${cni.version}`
    : cni.detected
      ? "VPC CNI"
      : "VPC CNI (defaults assumed)";
  return `${version}: ${parts.join(", ")}`;
}

/** Nodes whose pods are limited by no ENI figure (IPv6 /80, hybrid pod CIDRs), left out of "by ENI". */
function notByEni(report: Report): string {
  const n = report.nodes.filter((x) => x.maxPodsByEni === null && x.capacity.known).length;
  return n > 0 ? ` (${n} node${n === 1 ? "" : "s"} not limited by ENI IPs)` : "";
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
    { header: "NODE", value: (n) => short(n.name) },
    ...(wide
      ? [
          { header: "INSTANCE", value: (n: NodeReport) => n.instanceId },
          { header: "INTERNAL-IP", value: (n: NodeReport) => n.internalIp },
          { header: "NODE GROUP", value: (n: NodeReport) => n.nodeGroup },
          { header: "CAPACITY", value: (n: NodeReport) => n.capacityType },
        ]
      : []),
    { header: "TYPE", value: (n) => n.instanceType },
    { header: "KIND", value: (n) => (n.ipFamily === "ipv6" ? `${n.kind},ipv6` : n.kind) },
    { header: "ZONE", value: (n) => n.zone },
    { header: "ENIS", right: true, value: nodeEniText },
    { header: "IPS", value: (n) => n.ipsAssigned },
    { header: "USED", value: (n) => n.ipsUsed },
    { header: "WARM", value: (n) => n.ipsWarm },
    {
      header: "PODS/MAX",
      right: true,
      value: (n) => `${n.pods}/${n.maxPods ?? "?"}${n.overcommitted ? "*" : ""}`,
    },
    {
      header: "BY ENI",
      value: (n) =>
        n.maxPodsByEni === null
          ? null
          : n.branchEnis
            ? `${n.maxPodsByEni}+${n.branchEnis}br`
            : n.maxPodsByEni,
    },
    {
      header: "STATE",
      value: (n) => [n.ready ? "Ready" : "NotReady", ...(n.cordoned ? ["cordoned"] : [])].join(","),
    },
  ]);
}

function enisTable(report: Report, short: (name: string) => string): string {
  const rows = report.nodes.flatMap((node) => node.enis.map((eni) => ({ node, eni })));
  return formatTable(rows, [
    { header: "NODE", value: (r) => short(r.node.name) },
    {
      header: "DEV",
      value: (r) =>
        r.eni.role === "branch" || r.eni.role === "fargate"
          ? null
          : r.eni.onDefaultCard
            ? r.eni.deviceIndex
            : `card${r.eni.networkCardIndex}:${r.eni.deviceIndex}`,
    },
    { header: "ENI", value: (r) => r.eni.id },
    { header: "ROLE", value: (r) => r.eni.role },
    { header: "SUBNET", value: (r) => r.eni.subnetId },
    { header: "IPS", value: (r) => r.eni.ipsAssigned },
    { header: "USED", value: (r) => r.eni.ipsUsed },
    { header: "WARM", value: (r) => (r.eni.podCapacity ? r.eni.ipsWarm : null) },
    { header: "PREFIXES", value: (r) => (r.eni.prefixes.length > 0 ? r.eni.prefixes.join(" ") : "") },
  ]);
}

/** Custom networking and CNINode features per node: which subnet its pods' ENIs come from. Only nodes
 * that name an ENIConfig or have a CNINode are listed, so a cluster without either prints nothing. */
function customNetworkingTable(report: Report, short: (name: string) => string): string | null {
  const rows = report.nodes.filter((n) => n.eniConfig !== null || n.cniFeatures.length > 0);
  if (rows.length === 0) return null;
  return formatTable(rows, [
    { header: "NODE", value: (n) => short(n.name) },
    {
      header: "ENICONFIG",
      value: (n) =>
        n.eniConfig === null
          ? null
          : n.eniConfig.found
            ? n.eniConfig.name
            : `${n.eniConfig.name} (no such ENIConfig)`,
    },
    { header: "POD SUBNET", value: (n) => n.eniConfig?.subnetId ?? null },
    { header: "CNINODE FEATURES", value: (n) => (n.cniFeatures.length > 0 ? n.cniFeatures.join(",") : null) },
  ]);
}

/** Node names in a line, shortened, the first few only: a group can hold pods on hundreds of nodes. */
function someNodes(nodes: readonly string[], short: (name: string) => string, max = 4): string {
  const named = nodes.slice(0, max).map(short).join(", ");
  return nodes.length > max ? `${named} (+${nodes.length - max} more)` : named;
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
    `Pending pods: ${pending.length} in ${groups.length} group${groups.length === 1 ? "" : "s"}${eachPod ? "" : " (-o wide lists every pod)"}`,
  ];
  for (const g of groups) {
    const who = `${g.namespace}/${g.owner ?? "(no owner)"}`;
    out.push(wrap(terminalSafe(`${g.count} × ${who} · ${g.reason}: ${g.message}`), "  ", "      "));
    if (g.nodes.length > 0)
      out.push(wrap(terminalSafe(`on ${someNodes(g.nodes, short)}`), "      ", "        "));
  }
  if (eachPod) {
    out.push(
      "",
      formatTable(pending, [
        { header: "NAMESPACE", value: (p) => p.namespace },
        { header: "NAME", value: (p) => p.name },
        { header: "OWNER", value: (p) => p.owner },
        { header: "NODE", value: (p) => (p.node === null ? null : short(p.node)) },
        { header: "REASON", value: (p) => p.reason },
        { header: "STATUS", value: (p) => p.status },
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
        `Capture: ${options.source}${report.cluster.capturedAt ? ` (taken ${report.cluster.capturedAt})` : ""}`,
      ),
    );
  const where = [report.cluster.name, report.cluster.region && `region ${report.cluster.region}`].filter(
    Boolean,
  );
  out.push(terminalSafe([...where, cniLine(report)].join(" · ")));
  out.push(
    `${s.nodes} nodes${kindsText(s.kinds)} · ENIs ${s.enisAttached} of ${knownTotal(s.enisPossible, s)}${s.enisOtherCards > 0 ? ` (+${s.enisOtherCards} on other network cards)` : ""} · IPs ${s.ipsAssigned} assigned, ${s.ipsUsed} used, ${s.ipsWarm} warm · ${s.pendingPods} pending`,
  );
  out.push(
    `Pods ${s.pods}: kubelet max ${s.maxPods}, by ENI ${knownTotal(s.maxPodsByEni, s)}${notByEni(report)}${s.nodesCapacityUnknown > 0 ? ` (${s.nodesCapacityUnknown} node${s.nodesCapacityUnknown === 1 ? "" : "s"} of an instance type whose limits are unknown)` : ""}${s.podsOnUnknownNodes > 0 ? ` · ${s.podsOnUnknownNodes} more on nodes not in the node list` : ""}`,
  );
  // Problems and warnings first: on a big capture they would otherwise sit a thousand lines down.
  out.push("", ...problemsSection(report, short));
  if (report.warnings.length > 0) {
    out.push(
      "",
      `Warnings (${report.warnings.length})`,
      ...report.warnings.map((w) => wrap(terminalSafe(w), "  ! ", "    ")),
    );
  }
  out.push("");
  if (report.nodes.length === 0) out.push("No nodes in the capture.");
  else {
    if (domain) out.push(terminalSafe(`Nodes (names end in ${domain})`));
    out.push(nodesTable(report, short, options.wide ?? false));
    if (report.nodes.some((n) => n.overcommitted)) {
      out.push(
        "* kubelet accepts more pods than the ENIs can hold: pods past BY ENI wait in ContainerCreating",
      );
    }
    out.push(
      "PODS counts hostNetwork pods (aws-node, kube-proxy ...), which take no IP; IPS/USED/WARM count pod IPs.",
    );
  }
  const custom = customNetworkingTable(report, short);
  if (custom !== null) {
    out.push("", "ENIConfig and CNINode per node", custom);
    if (report.cluster.cni.customNetworking) {
      out.push("With custom networking the primary ENI holds no pod IPs: BY ENI counts the other ENIs only.");
    }
  }
  if ((options.enis || options.wide) && report.nodes.length > 0) {
    out.push("", "ENIs", enisTable(report, short));
  }
  out.push("");
  out.push(
    ...(report.pending.length > 0
      ? pendingSection(report.pending, short, options.wide ?? false)
      : ["Pending pods: none"]),
  );
  if (report.zones.length > 1) {
    out.push(
      "",
      "Zones",
      formatTable(report.zones, [
        { header: "ZONE", value: (z) => z.zone },
        { header: "NODES", value: (z) => z.nodes },
        { header: "ENIS", right: true, value: (z) => `${z.enisAttached}/${knownTotal(z.enisPossible, z)}` },
        { header: "IPS", value: (z) => z.ipsAssigned },
        { header: "USED", value: (z) => z.ipsUsed },
        { header: "WARM", value: (z) => z.ipsWarm },
        { header: "PODS/MAX", right: true, value: (z) => `${z.pods}/${z.maxPods}` },
        { header: "BY ENI", value: (z) => knownTotal(z.maxPodsByEni, z) },
        { header: "SUBNET FREE", value: (z) => z.subnetAvailableIps },
      ]),
    );
  }
  if (report.subnets.length > 0) out.push("", ...subnetSection(report));
  if (report.detachedEnis.length > 0) {
    out.push(
      "",
      "Detached CNI ENIs (status available: no node uses them, their IPs stay taken)",
      formatTable(report.detachedEnis, [
        { header: "ENI", value: (e) => e.id },
        { header: "SUBNET", value: (e) => e.subnetId },
        { header: "IPS", value: (e) => e.ips },
        { header: "MADE FOR", value: (e) => e.instanceId },
        { header: "CREATED", value: (e) => e.createdAt },
      ]),
    );
  }
  return out.join("\n");
}

const command: Command = {
  name: "report",
  summary: "print the nodes, ENIs, IPs and Pending pods of a captured cluster",
  help,
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
      throw new UsageError("give --dump DIR or --recording FILE, not both");
    if (values.recording === undefined && (values.at !== undefined || values.id !== undefined))
      throw new UsageError("--at and --id apply to --recording FILE");
    if (!values.dump && values.recording === undefined) {
      throw new UsageError(
        "--dump DIR is required: the capture folder to report on (see eni-view report --help)",
      );
    }
    let full: Report;
    let from = values.dump ?? "";
    try {
      if (values.recording !== undefined) {
        if (values.at === undefined)
          throw new UsageError("--recording FILE needs --at TIME: an ISO time, ms since 1970, start or end");
        const store = await openRecordingFile(values.recording);
        try {
          const recording = pickRecording(store, values.id);
          const moment = await momentFromFile(store, recording, values.at);
          full = moment;
          from = `${values.recording}, recording "${recording.name}" at ${moment.recorded.frameAt}`;
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
      if (err instanceof CaptureError) throw new UsageError(err.message, err.code);
      throw err;
    }
    if (values.subnets !== undefined) {
      const subnet = findSubnet(full, values.subnets);
      if (format === "name" || format === "wide")
        throw new UsageError(
          `--subnets prints an address map: -o ${format} does not apply (use text, json or yaml)`,
        );
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
