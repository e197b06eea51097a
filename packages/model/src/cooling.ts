// IPs in IPAMD's cooldown: a pod's IP freed by CNI DEL is held back for IP_COOLDOWN_PERIOD (30 s) before
// IPAMD hands it to another pod. EC2 and Kubernetes do not show that state, so it is inferred from the
// pod deletions the source saw: a released IP that is now a warm slot on its node is cooling until then.
import type { CoolingIpReport, NodeReport, ReleasedIpInput } from "./types.ts";

export function coolingIps(
  released: readonly ReleasedIpInput[] | undefined,
  nodes: readonly NodeReport[],
): CoolingIpReport[] {
  if (!released || released.length === 0) return [];
  // The latest release of each IP on each node.
  const byNode = new Map<string, Map<string, ReleasedIpInput>>();
  for (const r of released) {
    let ips = byNode.get(r.node);
    if (!ips) {
      ips = new Map();
      byNode.set(r.node, ips);
    }
    const was = ips.get(r.ip);
    if (!was || was.at <= r.at) ips.set(r.ip, r);
  }
  const out: CoolingIpReport[] = [];
  for (const node of nodes) {
    const ips = byNode.get(node.name);
    if (!ips) continue;
    for (const eni of node.enis)
      for (const slot of eni.slots) {
        const r = slot.pod === null ? ips.get(slot.ip) : undefined;
        if (r) out.push({ ip: slot.ip, node: node.name, eni: eni.id, releasedAt: r.at, until: r.until });
      }
  }
  return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}
