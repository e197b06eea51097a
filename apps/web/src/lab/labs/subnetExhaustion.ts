// The subnet exhaustion lab: a subnet cannot be grown once made, and pods stay ContainerCreating when the
// CNI finds no addresses in it. The fragmented lab shows the prefix form: 2c has over 200 free addresses but
// no free aligned /28, so the node there gets no prefix (InsufficientCidrBlocks) and its pods wait.
import type { NodeReport, Report } from "@eni-view/model";
import { awsCommand } from "../commands.ts";
import type { Highlight, Lab } from "../labTypes.ts";

/** Nodes with pods bound to them waiting for an IP the CNI could not get. */
function starved(topo: Report): NodeReport[] {
  const nodes = new Set(
    topo.pending.filter((p) => p.node !== null && p.reason === "ip-exhausted").map((p) => p.node),
  );
  return topo.nodes.filter((n) => nodes.has(n.name));
}

function subnetOf(topo: Report, node: NodeReport | undefined) {
  const id = node?.enis.find((e) => e.deviceIndex === 0)?.subnetId;
  return topo.subnets.find((s) => s.id === id) ?? null;
}

function values(topo: Report): Record<string, string | number> {
  const node = starved(topo)[0];
  const s = subnetOf(topo, node);
  return {
    node: node?.name ?? "-",
    cidr: s?.cidr ?? "-",
    free: s?.space?.free ?? s?.availableIps ?? "?",
    blocks: s?.space?.freeBlocks28 ?? "?",
    run: s?.space?.largestFreeRun ?? "?",
    waiting: topo.pending.filter((p) => p.reason === "ip-exhausted").length,
  };
}

function highlight(topo: Report): Highlight {
  return {
    nodes: starved(topo).map((n) => n.name),
    enis: [],
    ips: [],
    pods: [],
    pending: topo.pending.filter((p) => p.reason === "ip-exhausted").map((p) => `${p.namespace}/${p.name}`),
  };
}

export const subnetExhaustionLab: Lab = {
  id: "subnet-exhaustion",
  scenario: "fragmented-lab",
  title: { key: "subnet.title" },
  summary: { key: "subnet.summary" },
  intro: { key: "subnet.intro" },
  steps: [
    {
      id: "waiting-pods",
      title: { key: "subnet.pods.title" },
      view(topo) {
        return {
          commands: [{ text: "kubectl get pods -A -o wide | grep ContainerCreating" }],
          lookFor: {
            key: starved(topo).length > 0 ? "subnet.pods.look" : "subnet.pods.none",
            values: values(topo),
          },
          highlight: highlight(topo),
          why: [{ key: "subnet.pods.why", values: values(topo) }],
        };
      },
    },
    {
      id: "free-blocks",
      title: { key: "subnet.blocks.title" },
      view(topo, env) {
        const v = values(topo);
        return {
          commands: [
            {
              text: awsCommand(
                env,
                topo.cluster.region,
                `ec2 describe-subnets --filters Name=cidr-block,Values=${v.cidr} --query 'Subnets[].[SubnetId,CidrBlock,AvailableIpAddressCount]' --output table`,
              ),
            },
          ],
          lookFor: { key: "subnet.blocks.look", values: v },
          highlight: highlight(topo),
          why: [{ key: "subnet.blocks.why", values: v }],
        };
      },
    },
  ],
};
