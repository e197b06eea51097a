// Cluster totals at a glance, free IPs per subnet as small bars, and the history sparkline.
import { describeForecast, type HistoryPoint, type Topology } from "@eni-view/model";
import { formatCount, shortZone } from "../layout/format.ts";
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

export function SummaryBar({
  topology,
  history,
  cooling = 0,
}: {
  topology: Topology;
  history: HistoryPoint[];
  /** Warm IPs still in IPAMD's cooldown: counted apart from the warm ones free for the next pod. */
  cooling?: number;
}) {
  const s = topology.summary;
  return (
    <div className="summary" data-testid="summary">
      <Stat
        label="nodes"
        value={formatCount(s.nodes)}
        testid="stat-nodes"
        title={`${s.overcommittedNodes} overcommitted`}
      />
      <Stat
        label="pods running / pending"
        value={`${formatCount(s.podsRunning)} / ${formatCount(s.pendingPods)}`}
        testid="stat-pods"
        title={`${s.pods} pods counted against max pods, ${s.hostNetworkPods} hostNetwork`}
      />
      <Stat
        label="IPs used / warm / cooling / assigned"
        value={`${formatCount(s.ipsUsed)} / ${formatCount(s.ipsWarm - cooling)} / ${formatCount(cooling)} / ${formatCount(s.ipsAssigned)}`}
        testid="stat-ips"
        title="warm: free for the next pod; cooling: freed by a pod deletion in the last IP_COOLDOWN_PERIOD (inferred), not handed out yet"
      />
      <Stat
        label="ENIs attached / possible"
        value={`${formatCount(s.enisAttached)} / ${formatCount(s.enisPossible)}`}
        testid="stat-enis"
      />
      <div className="subnets" data-testid="subnets">
        {topology.subnets.map((sn) => {
          const freeFrac = sn.totalIps > 0 ? sn.availableIps / sn.totalIps : 0;
          return (
            <div
              key={sn.id}
              className="subnet"
              title={`${sn.id}${sn.name ? ` (${sn.name})` : ""} ${sn.cidr} in ${sn.zone ?? "?"}: ${sn.availableIps} of ${sn.totalIps} IPs free; ${sn.ipsUsed} used by pods, ${sn.ipsWarm} warm${sn.space ? `; ${sn.space.freeBlocks28} free /28` : ""}${sn.forecast !== undefined ? `; ${describeForecast(sn.cidr, sn.forecast)}` : ""}`}
            >
              <span className="subnet-label">
                {sn.zone ? `${shortZone(sn.zone)} ` : ""}
                {sn.cidr}
              </span>
              <span className={`bar${freeFrac < 0.1 ? " bar-low" : ""}`}>
                <span className="bar-fill" style={{ width: `${Math.round((1 - freeFrac) * 100)}%` }} />
              </span>
              <span className="subnet-free">{formatCount(sn.availableIps)} free</span>
            </div>
          );
        })}
      </div>
      <div className="history">
        <Sparkline points={history} />
        <span className="stat-label">
          <span className="key-running">running</span> · <span className="key-pending">pending</span> ·{" "}
          <span className="key-assigned">IPs assigned</span> · <span className="key-warm">warm</span>
        </span>
      </div>
    </div>
  );
}
