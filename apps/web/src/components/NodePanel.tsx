// The selected node in full: capacity figures, every ENI, every IP and the pod holding it.
import { type NodeReport, nodeEniText } from "@eni-view/model";
import { clampName } from "../layout/format.ts";
import { offEniCaption } from "../layout/nodeLayout.ts";
import { eniWords, kindWords, nodeStatus, overcommitText } from "../layout/nodeText.ts";
import type { PodIndex } from "../layout/podIndex.ts";

function Figure({ label, value }: { label: string; value: string | number | null }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>{value ?? "unknown"}</dd>
    </div>
  );
}

export function NodePanel({
  node,
  pods,
  onClose,
}: {
  node: NodeReport;
  pods: PodIndex;
  onClose: () => void;
}) {
  const c = node.capacity;
  const status = nodeStatus(node);
  // Reports kept from before these fields existed (frozen snapshots) have neither.
  const eniConfig = node.eniConfig ?? null;
  const features = node.cniFeatures ?? [];
  return (
    <aside className="panel" data-testid="node-panel" aria-label={`Node ${node.name}`}>
      <header>
        <h2 title={node.name}>{clampName(node.name)}</h2>
        <button type="button" className="close" onClick={onClose} aria-label="Close node panel">
          ×
        </button>
      </header>
      <p className={`status status-${status.tone}`}>
        {status.label} · {node.instanceType ?? "unknown type"}
        {kindWords(node) ? ` · ${kindWords(node)}` : ""} · {node.zone ?? "no zone"}
        {node.nodeGroup ? ` · ${node.nodeGroup}` : ""}
        {node.capacityType ? ` · ${node.capacityType}` : ""}
      </p>
      {node.overcommitted && !node.warnings?.length && (
        <p className="warning">⚠ {overcommitText(node)}: pods past that hang in ContainerCreating.</p>
      )}
      {(node.warnings ?? []).map((w) => (
        <p key={w} className="warning" data-testid="panel-warning">
          ⚠ {w}
        </p>
      ))}
      {node.notes.map((n) => (
        <p key={n} className="note">
          {n}
        </p>
      ))}
      <dl className="figures" data-testid="capacity">
        <Figure label="pods" value={`${node.pods} / ${node.maxPods ?? "?"}`} />
        <Figure label="max pods by ENI" value={node.maxPodsByEni} />
        <Figure label="mode" value={c.mode} />
        <Figure
          label="ENIs"
          value={node.kind ? nodeEniText(node) : `${node.enis.length} / ${c.maxEnis ?? "?"}`}
        />
        {node.branchEnis !== null && node.branchEnis !== undefined && (
          <Figure label="branch ENIs (pod-eni)" value={node.branchEnis} />
        )}
        <Figure label="IPv4 per ENI" value={c.ipv4PerEni} />
        <Figure label="pod IPs per ENI" value={c.podIpsPerEni} />
        <Figure
          label="IPs used / warm / assigned"
          value={`${node.ipsUsed} / ${node.ipsWarm} / ${node.ipsAssigned}`}
        />
        <Figure label="waiting for an IP" value={node.podsWaitingForIp} />
        <Figure label="instance" value={node.instanceId} />
        <Figure label="internal IP" value={node.internalIp} />
        {eniConfig && (
          <Figure
            label="ENIConfig"
            value={
              eniConfig.found
                ? `${eniConfig.name} · ${eniConfig.subnetId ?? "no subnet"}`
                : `${eniConfig.name} (no such ENIConfig)`
            }
          />
        )}
        {features.length > 0 && <Figure label="CNINode features" value={features.join(", ")} />}
      </dl>
      {node.enis.map((e) => (
        <section key={e.id} className="eni" data-testid="panel-eni">
          <h3>{eniWords(e)}</h3>
          <p className="muted">
            {e.subnetId} · primary {e.primaryIp ?? "?"} · {e.ipsUsed} used, {e.ipsWarm} warm of {e.slotLimit}
            {e.prefixes.length > 0 ? ` · prefixes ${e.prefixes.join(", ")}` : ""}
          </p>
          <table>
            <tbody>
              {e.slots.map((s) => {
                const pod = s.pod ? pods.get(s.pod) : undefined;
                return (
                  <tr key={s.ip} className={s.pod ? "" : "warm"}>
                    <td className="ip">{s.ip}</td>
                    <td title={s.pod ?? undefined}>{s.pod ? clampName(s.pod) : "warm"}</td>
                    <td className="muted">{pod?.status ?? ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
      {node.eniSlotsFree > 0 && (
        <p className="muted">
          {node.eniSlotsFree} more ENI{node.eniSlotsFree > 1 ? "s" : ""} can attach ({c.podIpsPerEni ?? "?"}{" "}
          pod IPs each).
        </p>
      )}
      {offEniCaption(node) !== null && (
        <section className="eni" data-testid="panel-off-eni">
          <h3>{offEniCaption(node)}</h3>
          <p className="muted">{(node.podsOffEni ?? []).map((p) => clampName(p)).join(", ")}</p>
        </section>
      )}
      {node.hostNetworkPods.length > 0 && (
        <section className="eni">
          <h3>hostNetwork pods</h3>
          <p className="muted">
            {node.hostNetworkPods.map((h) => clampName(`${h.namespace}/${h.name}`)).join(", ")}
          </p>
        </section>
      )}
    </aside>
  );
}
