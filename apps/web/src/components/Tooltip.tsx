// What is under the pointer, in words. Everything is rendered as React text nodes.

import { nodeStatus, podsLine } from "../draw/nodeBox.ts";
import { shortNodeName } from "../layout/format.ts";
import type { Hit } from "../layout/hitTest.ts";
import type { PodIndex } from "../layout/podIndex.ts";

const kindText = {
  primary: "primary IP of the ENI (never a pod's)",
  warm: "warm IP: assigned to the ENI, free for the next pod",
  free: "room on this ENI: not assigned from the subnet yet",
  placeholder: "ENI not attached yet: headroom the instance type allows",
  pod: "pod",
} as const;

export function Tooltip({ hit, x, y, pods }: { hit: Hit; x: number; y: number; pods: PodIndex }) {
  const n = hit.node.layout.node;
  const c = hit.cell;
  const pod = c?.pod ? pods.get(c.pod) : undefined;
  const eni = hit.row?.eni ?? null;
  const lines: [string, string][] = [];
  if (c?.pod) {
    lines.push(["pod", c.pod]);
    if (pod) lines.push(["phase", `${pod.phase}${pod.status !== pod.phase ? ` (${pod.status})` : ""}`]);
    if (pod?.owner) lines.push(["owner", pod.owner]);
  } else if (c) lines.push(["slot", kindText[c.kind]]);
  if (hit.hostPod) {
    lines.push(["pod", `${hit.hostPod.pod.namespace}/${hit.hostPod.pod.name}`]);
    lines.push(["network", "hostNetwork: uses the node IP, no ENI slot"]);
  }
  if (c?.ip) lines.push(["IP", c.ip]);
  if (c?.prefix) lines.push(["prefix", c.prefix]);
  if (eni) lines.push(["ENI", `${eni.id} · eth${eni.deviceIndex} · ${eni.role}`]);
  else if (hit.row) lines.push(["ENI", `eth${hit.row.deviceIndex} not attached`]);
  lines.push(["node", n.name]);
  if (!c && !hit.hostPod) {
    lines.push([
      "status",
      `${nodeStatus(n).label} · ${n.instanceType ?? "unknown type"} · ${n.zone ?? "no zone"}`,
    ]);
    lines.push(["pods", podsLine(n)]);
    lines.push(["IPs", `${n.ipsUsed} used · ${n.ipsWarm} warm · ${n.ipsAssigned} assigned`]);
  }
  const left = x + 360 > window.innerWidth ? Math.max(0, x - 340) : x + 16;
  const top = y + 16;
  return (
    <div className="tooltip" role="tooltip" data-testid="tooltip" style={{ left, top }}>
      <div className="tooltip-title">
        {c?.pod ?? (hit.hostPod ? hit.hostPod.pod.name : shortNodeName(n.name))}
      </div>
      <dl>
        {lines.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
