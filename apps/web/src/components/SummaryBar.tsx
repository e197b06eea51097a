// Cluster totals at a glance, free IPs per subnet as small bars (the tightest few when there are dozens),
// and the history sparkline.
import type { HistoryPoint, Topology } from "@eni-view/model";
import { memo, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { describeForecast } from "../i18n/format.ts";
import { formatCount, shortZone } from "../layout/format.ts";
import { freeShare, summarySubnets } from "../layout/summarySubnets.ts";
import { Sparkline } from "./Sparkline.tsx";

function Stat({
  label,
  value,
  title,
  testid,
}: {
  label: string;
  value: string;
  title?: string;
  testid: string;
}) {
  return (
    <div className="stat" title={title} data-testid={testid}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

// Drawn again only when its numbers change: on the overview a node's detail coming in changes neither.
export const SummaryBar = memo(function SummaryBar({
  summary: s,
  subnets: allSubnets,
  history,
  cooling = 0,
}: {
  summary: Topology["summary"];
  subnets: Topology["subnets"];
  history: HistoryPoint[];
  /** Warm IPs still in IPAMD's cooldown: counted apart from the warm ones free for the next pod. */
  cooling?: number;
}) {
  const { t } = useTranslation();
  const subnets = useMemo(() => summarySubnets(allSubnets), [allSubnets]);
  // The model's eniTotal with the page's number format: a lower bound while some nodes' ENIs are unknown.
  const enisNoData = s.nodesEnisUnknown ?? 0;
  const enisUnknown = s.nodesCapacityUnknown + enisNoData;
  const enisPossibleText =
    enisUnknown >= s.nodes && s.nodes > 0
      ? "?"
      : `${formatCount(s.enisPossible)}${enisUnknown > 0 ? "+?" : ""}`;
  return (
    <div className="summary" data-testid="summary">
      <Stat
        label={t("summary.nodes")}
        value={formatCount(s.nodes)}
        testid="stat-nodes"
        title={t("summary.nodesTitle", { count: s.overcommittedNodes })}
      />
      <Stat
        label={t("summary.pods")}
        value={`${formatCount(s.podsRunning)} / ${formatCount(s.pendingPods)}`}
        testid="stat-pods"
        title={t("summary.podsTitle", { pods: s.pods, host: s.hostNetworkPods })}
      />
      <Stat
        label={t("summary.ips")}
        value={`${formatCount(s.ipsUsed)} / ${formatCount(s.ipsWarm - cooling)} / ${formatCount(cooling)} / ${formatCount(s.ipsAssigned)}`}
        testid="stat-ips"
        title={t("summary.ipsTitle")}
      />
      <Stat
        label={t("summary.enis")}
        value={`${formatCount(s.enisAttached)} / ${enisPossibleText}`}
        testid="stat-enis"
        title={
          [
            s.nodesCapacityUnknown > 0
              ? t("summary.enisUnknownTitle", { count: s.nodesCapacityUnknown })
              : "",
            enisNoData > 0 ? t("summary.enisNoDataTitle", { count: enisNoData }) : "",
          ]
            .filter(Boolean)
            .join(" ") || undefined
        }
      />
      <div className="subnets" data-testid="subnets">
        {subnets.shown.map((sn) => {
          const freeFrac = freeShare(sn);
          const text = t("summary.subnetTitle", {
            subnet: `${sn.id}${sn.name ? ` (${sn.name})` : ""}`,
            cidr: sn.cidr,
            zone: sn.zone ?? "?",
            free: sn.availableIps,
            total: sn.totalIps,
            used: sn.ipsUsed,
            warm: sn.ipsWarm,
          });
          const blocks = sn.space ? t("summary.subnetBlocks", { text, count: sn.space.freeBlocks28 }) : text;
          return (
            <div
              key={sn.id}
              className="subnet"
              title={
                sn.forecast !== undefined ? `${blocks}; ${describeForecast(sn.cidr, sn.forecast)}` : blocks
              }
            >
              <span className="subnet-label">
                {sn.zone ? `${shortZone(sn.zone)} ` : ""}
                {sn.cidr}
              </span>
              <span className={`bar${freeFrac < 0.1 ? " bar-low" : ""}`}>
                <span className="bar-fill" style={{ width: `${Math.round((1 - freeFrac) * 100)}%` }} />
              </span>
              <span className="subnet-free">
                {t("summary.subnetFree", { free: formatCount(sn.availableIps) })}
              </span>
            </div>
          );
        })}
        {subnets.more && (
          <div className="subnet subnet-more" data-testid="subnets-more">
            {t("summary.subnetsMore", {
              count: subnets.more.count,
              pct: Math.floor(subnets.more.leastFree * 100),
            })}
          </div>
        )}
      </div>
      <div className="history">
        <Sparkline points={history} />
        <span className="stat-label">
          <span className="key-running">{t("summary.running")}</span> ·{" "}
          <span className="key-pending">{t("summary.pending")}</span> ·{" "}
          <span className="key-assigned">{t("summary.assigned")}</span> ·{" "}
          <span className="key-warm">{t("summary.warm")}</span>
        </span>
      </div>
    </div>
  );
});
