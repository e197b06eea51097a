// The max pods lab: EC2's ENI and address limits per instance type, and kubelet's allocatable pods that come
// from them. Both steps only read, so the user moves on by hand.
import { awsCommand } from "../commands.ts";
import { capacityFigures, nodesByType } from "../labFacts.ts";
import { type Lab, lit, type Msg } from "../labTypes.ts";

/** The formula of each instance type in the cluster, in the mode its nodes run (secondary IPs or /28
 * prefixes); IPv6 and hybrid nodes take no ENI formula and get none. */
function formulas(topo: Parameters<Lab["steps"][number]["view"]>[0]): Msg[] {
  return nodesByType(topo).flatMap((n): Msg[] => {
    const f = capacityFigures(n);
    if (!f) return [];
    if (n.capacity.mode === "secondary-ip")
      return [
        {
          key: "maxPods.formula",
          values: { type: f.instanceType, enis: f.enis, ipv4: f.ipv4PerEni, maxPods: f.maxPods },
        },
      ];
    if (n.capacity.mode === "prefix-delegation")
      return [
        {
          key: "maxPods.formulaPd",
          values: {
            type: f.instanceType,
            enis: f.enis,
            ipv4: f.ipv4PerEni,
            uncapped: f.pdUncapped,
            maxPods: f.pdMaxPods,
          },
        },
      ];
    return [];
  });
}

export const maxPodsLab: Lab = {
  id: "max-pods",
  scenario: "scale-lab",
  title: { key: "maxPods.title" },
  summary: { key: "maxPods.summary" },
  intro: { key: "maxPods.intro" },
  steps: [
    {
      id: "instance-types",
      title: { key: "maxPods.types.title" },
      view(topo, env) {
        const families = [
          ...new Set(nodesByType(topo).map((n) => `${(n.instanceType ?? "").split(".")[0]}.*`)),
        ];
        const query =
          "--query 'InstanceTypes[].[InstanceType,NetworkInfo.MaximumNetworkInterfaces,NetworkInfo.Ipv4AddressesPerInterface]' --output table";
        return {
          commands: [
            {
              text: awsCommand(
                env,
                topo.cluster.region,
                `ec2 describe-instance-types --filters Name=instance-type,Values=${families.join(",")} ${query}`,
              ),
            },
          ],
          lookFor: { key: "maxPods.types.look" },
          highlight: lit({ nodes: topo.nodes.map((n) => n.name) }),
          why: [{ key: "maxPods.types.why" }, ...formulas(topo)],
        };
      },
    },
    {
      id: "allocatable",
      title: { key: "maxPods.allocatable.title" },
      view(topo) {
        const host = topo.nodes.flatMap((n) => n.hostNetworkPods.map((p) => `${p.namespace}/${p.name}`));
        return {
          commands: [{ text: "kubectl describe node | grep Allocatable -A6" }],
          lookFor: { key: "maxPods.allocatable.look" },
          highlight: lit({ pods: host }),
          why: [{ key: "maxPods.allocatable.why" }, ...formulas(topo)],
        };
      },
    },
  ],
};
