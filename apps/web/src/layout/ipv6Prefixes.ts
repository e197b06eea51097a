// A subnet's IPv6 side as the Subnets tab shows it: an IPv6 cluster's nodes each hold one /80 prefix on
// their primary ENI and give every pod an address from it (ENABLE_IPv6 with prefix delegation), so what
// runs out is max pods, not addresses. Drawn as prefix capacity: each /80 the nodes' ENIs in the subnet
// hold, by its /64, with its pods against the node's max pods. A /80 no node holds is never drawn as
// free: which other ENIs of the subnet hold IPv6 addresses is not read.
import { formatIpv6, type NodeReport, parseIpv6Cidr } from "@eni-view/model";

export interface PrefixUse {
  prefix: string;
  node: string;
  eniId: string;
  /** Pods whose address is in the prefix. */
  pods: number;
  maxPods: number | null;
}

export interface Ipv6BlockUse {
  /** The /64 the prefixes are in: an AWS subnet's IPv6 block. */
  block: string;
  /** How many prefixes of this length the /64 holds (65,536 /80s). */
  capacity: number;
  prefixBits: number;
  prefixes: PrefixUse[];
}

/** The IPv6 prefixes the nodes' ENIs in `subnetId` hold, by /64, in node order. */
export function ipv6PrefixUse(nodes: readonly NodeReport[], subnetId: string): Ipv6BlockUse[] {
  const blocks = new Map<string, Ipv6BlockUse>();
  for (const node of nodes) {
    for (const eni of node.enis) {
      if (eni.subnetId !== subnetId) continue;
      for (const prefix of eni.prefixes) {
        const parsed = parseIpv6Cidr(prefix);
        if (parsed === null || parsed.bits < 64) continue;
        const block = `${formatIpv6((parsed.base >> 64n) << 64n)}/64`;
        let use = blocks.get(`${block} ${parsed.bits}`);
        if (use === undefined) {
          use = { block, capacity: 2 ** (parsed.bits - 64), prefixBits: parsed.bits, prefixes: [] };
          blocks.set(`${block} ${parsed.bits}`, use);
        }
        let pods = 0;
        for (const slot of eni.slots) if (slot.prefix === prefix && slot.pod !== null) pods++;
        use.prefixes.push({ prefix, node: node.name, eniId: eni.id, pods, maxPods: node.maxPods });
      }
    }
  }
  return [...blocks.values()];
}
