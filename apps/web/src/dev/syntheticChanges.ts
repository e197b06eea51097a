// One small live change to a synthetic topology (a pod takes a warm IP, or one leaves), sharing every
// untouched object with the previous topology as the server's deltas do.
import type { NodeReport, PodReport, Topology } from "@eni-view/model";

export function nextSyntheticTopology(prev: Topology, random: () => number, tick: number): Topology {
  const ni = Math.floor(random() * prev.nodes.length);
  const node = prev.nodes[ni];
  if (!node) return prev;
  const enis = node.enis.map((e) => ({ ...e, slots: [...e.slots] }));
  let pods: PodReport[] = prev.pods;
  const withWarm = enis.filter((e) => e.slots.some((s) => !s.pod));
  const adding = withWarm.length > 0 && random() < 0.6;
  if (adding) {
    const eni = withWarm[Math.floor(random() * withWarm.length)]!;
    const si = eni.slots.findIndex((s) => !s.pod);
    const name = `live-${tick}-${Math.floor(random() * 1e6).toString(36)}`;
    eni.slots[si] = { ...eni.slots[si]!, pod: `default/${name}` };
    eni.ipsUsed++;
    eni.ipsWarm--;
    pods = [
      ...prev.pods,
      {
        namespace: "default",
        name,
        node: node.name,
        ip: eni.slots[si]!.ip,
        eni: eni.id,
        phase: "Running",
        status: "Running",
        owner: "Deployment/live",
        labels: { app: "live" },
      },
    ];
  } else {
    const eni = enis.find((e) => e.slots.some((s) => s.pod));
    if (!eni) return prev;
    const si = eni.slots.findIndex((s) => s.pod);
    const key = eni.slots[si]!.pod!;
    eni.slots[si] = { ...eni.slots[si]!, pod: null };
    eni.ipsUsed--;
    eni.ipsWarm++;
    pods = prev.pods.filter((p) => `${p.namespace}/${p.name}` !== key);
  }
  const delta = adding ? 1 : -1;
  const next: NodeReport = {
    ...node,
    enis,
    ipsUsed: node.ipsUsed + delta,
    ipsWarm: node.ipsWarm - delta,
    pods: node.pods + delta,
    podsRunning: node.podsRunning + delta,
  };
  const nodes = prev.nodes.slice();
  nodes[ni] = next;
  const s = prev.summary;
  return {
    ...prev,
    seq: prev.seq + 1,
    generatedAt: new Date(Date.parse(prev.generatedAt) + 1000).toISOString(),
    nodes,
    pods,
    summary: {
      ...s,
      ipsUsed: s.ipsUsed + delta,
      ipsWarm: s.ipsWarm - delta,
      pods: s.pods + delta,
      podsRunning: s.podsRunning + delta,
    },
  };
}
