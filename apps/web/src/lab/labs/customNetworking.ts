// The custom networking lab: with AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true pod ENIs take the subnet of the
// node's ENIConfig and the primary ENI gives pods no IPs, so a t3.medium holds (3 − 1) × (6 − 1) pod IPs
// while kubelet, unless told, still allows the secondary-IP max pods: the extra pods wait for an IP.
import type { Report } from "@eni-view/model";
import { scaleCommand } from "../commands.ts";
import { deploymentPods, firstFigures, roomFor, settled } from "../labFacts.ts";
import { type Lab, lit, type Msg } from "../labTypes.ts";
import { NGINX } from "../scaleSteps.ts";

function values(topo: Report) {
  const f = firstFigures(topo);
  const kubelet = topo.nodes[0]?.maxPods ?? "?";
  const podIps = topo.nodes.reduce((s, n) => s + (n.capacity.podIps ?? 0), 0);
  const room = roomFor(topo, NGINX.namespace, NGINX.name);
  const others = topo.pods.filter((p) => p.owner !== `Deployment/${NGINX.name}`).length;
  return {
    type: f?.instanceType ?? "?",
    enis: f?.enis ?? "?",
    podEnis: f ? f.enis - 1 : "?",
    ipv4: f?.ipv4PerEni ?? "?",
    customMaxPods: f?.customMaxPods ?? "?",
    kubelet,
    perNode: f ? (f.enis - 1) * f.perEni : "?",
    replicas: room,
    waiting: Math.max(0, room + others - podIps),
  };
}

export const customNetworkingLab: Lab = {
  id: "custom-networking",
  scenario: "custom-networking-lab",
  title: { key: "custom.title" },
  summary: { key: "custom.summary" },
  intro: { key: "custom.intro" },
  steps: [
    {
      id: "eniconfigs",
      title: { key: "custom.configs.title" },
      view(topo) {
        return {
          commands: [
            { text: "kubectl get eniconfigs" },
            { text: "kubectl get nodes -L k8s.amazonaws.com/eniConfig" },
          ],
          lookFor: { key: "custom.configs.look" },
          highlight: lit({
            enis: topo.nodes.flatMap((n) => n.enis.filter((e) => e.deviceIndex === 0).map((e) => e.id)),
          }),
          why: [{ key: "custom.configs.why", values: values(topo) }],
        };
      },
    },
    {
      id: "fill",
      title: { key: "custom.fill.title" },
      view(topo) {
        const v = values(topo);
        const waiting = topo.pending.filter((p) => p.node !== null).map((p) => `${p.namespace}/${p.name}`);
        return {
          commands: [{ text: scaleCommand(NGINX.name, Number(v.replicas)) }],
          lookFor: { key: "custom.fill.look", values: v },
          highlight: lit({
            nodes: topo.nodes.filter((n) => n.overcommitted).map((n) => n.name),
            pending: waiting,
          }),
          why: [{ key: "custom.fill.why", values: v }],
        };
      },
      observe(topo) {
        const v = values(topo);
        const d = deploymentPods(topo, NGINX.namespace, NGINX.name);
        const total = d.placed.length + d.pending.length;
        const noIp = topo.pending.filter((p) => p.node !== null && p.reason === "ip-exhausted").length;
        const unscheduled = topo.pending.filter((p) => p.node === null).length;
        let other: Msg | null = null;
        if (total !== v.replicas)
          other = {
            key: "common.otherReplicas",
            values: { name: NGINX.name, have: total, want: v.replicas },
          };
        else if (noIp !== v.waiting)
          other = { key: "custom.otherWaiting", values: { have: noIp, want: v.waiting } };
        return {
          settled: settled(topo),
          fingerprint: `${total}/${noIp}/${unscheduled}`,
          reached: total === v.replicas && noIp === v.waiting && unscheduled === 0,
          other,
        };
      },
    },
  ],
};
