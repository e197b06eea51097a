// The subnets in the report's text: each subnet in use with its free addresses, free /28s, largest free
// run and the ENIs no node holds; and `--subnets X`, one subnet's every address as a character map.
import {
  ADDRESS_KINDS,
  type AddressKind,
  foreignEniLabel,
  formatIpv4,
  nodeEnisBySubnet,
  type Report,
  type SubnetAddressMap,
  type SubnetReport,
  subnetAddressMap,
} from "@eni-view/model";
import { forecastSentence, t } from "../i18n/cliText.ts";
import { UsageError } from "./command.ts";
import { terminalSafe } from "./terminalText.ts";
import { formatTable } from "./textTable.ts";

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The Subnets table with the address map's counts, then the non-Kubernetes holders of each. */
export function subnetSection(report: Report): string[] {
  const out = [
    t("subnets.title"),
    formatTable(report.subnets, [
      { header: t("subnets.col.subnet"), value: (x) => x.id },
      { header: t("subnets.col.zone"), value: (x) => x.zone },
      { header: t("subnets.col.cidr"), value: (x) => x.cidr },
      { header: t("subnets.col.ec2Free"), right: true, value: (x) => `${x.availableIps}/${x.totalIps}` },
      { header: t("subnets.col.free"), value: (x) => x.space?.free ?? null },
      { header: t("subnets.col.blocks"), value: (x) => x.space?.freeBlocks28 ?? null },
      { header: t("subnets.col.run"), value: (x) => x.space?.largestFreeRun ?? null },
      {
        header: t("subnets.col.pods"),
        right: true,
        value: (x) => (x.space ? `${x.space.podIps} (${percent(x.space.podShare)})` : null),
      },
      { header: t("subnets.col.warm"), value: (x) => (x.space ? x.space.warmIps + x.space.prefixIps : null) },
      { header: t("subnets.col.other"), value: (x) => x.space?.otherIps ?? null },
      {
        header: t("subnets.col.reserved"),
        value: (x) => (x.space ? x.space.reservedPrefixIps + x.space.reservedExplicitIps : null),
      },
    ]),
    t("subnets.legend"),
  ];
  const forecasts = report.subnets.filter((s) => s.forecast !== undefined);
  if (forecasts.length > 0)
    out.push("", t("subnets.forecast"), ...forecasts.map((s) => `  ${forecastSentence(s.cidr, s.forecast)}`));
  const holders = report.subnets.filter(
    (s) => (s.others?.length ?? 0) > 0 || (s.reservations?.length ?? 0) > 0,
  );
  if (holders.length > 0) {
    out.push("", t("subnets.holders"));
    for (const s of holders) {
      out.push(terminalSafe(`  ${s.cidr} (${s.id})`));
      for (const r of s.reservations ?? [])
        out.push(
          terminalSafe(
            t("subnets.reservation", {
              type: t(`subnets.reservationType.${r.type}`),
              cidr: r.cidr,
              description: r.description ? ` "${r.description}"` : "",
              id: r.id,
            }),
          ),
        );
      for (const o of s.others ?? []) {
        const n = o.ips.length + o.prefixes.length * 16;
        out.push(terminalSafe(t("subnets.addresses", { count: n, label: foreignEniText(o) })));
      }
    }
  }
  return out;
}

/** An ENI no node holds (the model's foreignEniLabel) in the CLI's language. */
function foreignEniText(eni: Parameters<typeof foreignEniLabel>[0]): string {
  return foreignEniLabel(eni, {
    on: (instance) => t("subnets.eni.on", { instance }),
    detached: t("subnets.eni.detached"),
  });
}

/** One character per address kind in the text map. */
export const MAP_CHARS: Record<AddressKind, string> = {
  free: ".",
  "aws-reserved": "A",
  node: "N",
  pod: "P",
  warm: "w",
  prefix: "p",
  other: "o",
  "reserved-prefix": "r",
  "reserved-explicit": "x",
};

/** The subnet named by id, CIDR or Name tag; a usage error listing the choices otherwise. */
export function findSubnet(report: Report, key: string): SubnetReport {
  const found = report.subnets.find((s) => s.id === key || s.cidr === key || s.name === key);
  if (found === undefined) {
    const known = report.subnets.map((s) => `${s.cidr} (${s.id})`).join(", ");
    throw new UsageError(t("args.noSubnet", { key: key.slice(0, 80), known: known || t("record.none") }));
  }
  return found;
}

/** The address map of one subnet of the report. */
export function mapOf(report: Report, subnet: SubnetReport): SubnetAddressMap {
  const map = subnetAddressMap(
    subnet.cidr,
    nodeEnisBySubnet(report.nodes).get(subnet.id) ?? [],
    subnet.others ?? [],
    subnet.reservations ?? [],
  );
  if (map === null) throw new UsageError(t("args.subnetTooBig", { id: subnet.id, cidr: subnet.cidr }));
  return map;
}

/** 64 addresses a line, a space every 16 (the /28 boundaries), the first address of the line before. */
export function formatAddressMap(report: Report, subnet: SubnetReport): string {
  const map = mapOf(report, subnet);
  const perLine = Math.min(64, map.size);
  const lines = [
    terminalSafe(
      t("subnets.map.title", {
        cidr: subnet.cidr,
        id: subnet.id,
        name: subnet.name ? `, ${subnet.name}` : "",
        zone: subnet.zone ?? t("subnets.map.unknownZone"),
        count: map.size,
      }),
    ),
    t("subnets.map.legend", {
      kinds: ADDRESS_KINDS.map((k) => `${MAP_CHARS[k]} ${t(`subnets.map.kind.${k}`)}`).join(" · "),
    }),
    "",
  ];
  const width = formatIpv4(map.base + map.size - 1).length;
  for (let row = 0; row < map.size; row += perLine) {
    let text = "";
    for (let i = row; i < row + perLine; i++) {
      if (i > row && (i - row) % 16 === 0) text += " ";
      text += MAP_CHARS[ADDRESS_KINDS[map.kinds[i]!]!];
    }
    lines.push(`${formatIpv4(map.base + row).padEnd(width)}  ${text}`);
  }
  const s = subnet.space;
  if (s) {
    lines.push(
      "",
      t("subnets.map.stats", {
        free: s.free,
        blocks: s.freeBlocks28,
        run: s.largestFreeRun,
        pods: s.podIps,
        share: percent(s.podShare),
        warm: s.warmIps,
        prefix: s.prefixIps,
        node: s.nodeIps,
        others: s.otherIps,
        reserved: s.reservedPrefixIps + s.reservedExplicitIps,
      }),
    );
  }
  for (const o of subnet.others ?? [])
    lines.push(terminalSafe(`o  ${o.ips.join(" ")}  ${foreignEniText(o)}`));
  for (const r of subnet.reservations ?? [])
    lines.push(
      terminalSafe(
        `${MAP_CHARS[r.type === "prefix" ? "reserved-prefix" : "reserved-explicit"]}  ${r.cidr}  ${t("subnets.map.reservation", { type: t(`subnets.reservationType.${r.type}`), id: r.id })}`,
      ),
    );
  return lines.join("\n");
}

/** The map as runs of one kind and holder, for -o json/yaml with --subnets. */
export function addressRuns(report: Report, subnet: SubnetReport): object {
  const map = mapOf(report, subnet);
  const runs: { from: string; to: string; count: number; kind: AddressKind; holder: string | null }[] = [];
  let start = 0;
  for (let i = 1; i <= map.size; i++) {
    if (i < map.size && map.kinds[i] === map.kinds[start] && map.holderOf[i] === map.holderOf[start])
      continue;
    const h = map.holderOf[start]!;
    runs.push({
      from: formatIpv4(map.base + start),
      to: formatIpv4(map.base + i - 1),
      count: i - start,
      kind: ADDRESS_KINDS[map.kinds[start]!]!,
      holder: h < 0 ? null : map.holders[h]!.label,
    });
    start = i;
  }
  return { subnet: subnet.id, cidr: subnet.cidr, zone: subnet.zone, space: subnet.space ?? null, runs };
}
