// A step's highlight in the shape the map and the Pending tray already light a search by, so lab mode
// dims and lights cells, boxes and tray entries exactly as a search does.
import type { Report } from "@eni-view/model";
import type { SearchResult } from "../layout/search.ts";
import { eniIps } from "./labFacts.ts";
import type { Highlight } from "./labTypes.ts";

export function highlightResult(h: Highlight, topo: Report): SearchResult {
  const enis = new Set(h.enis);
  const ips = new Set(h.ips);
  const touched = new Set(h.nodes);
  const hostPods = new Set<string>();
  const pods = new Set(h.pods);
  for (const n of topo.nodes) {
    for (const e of n.enis) {
      if (enis.has(e.id)) {
        for (const ip of eniIps(e)) ips.add(ip);
        touched.add(n.name);
      } else if (e.slots.some((s) => ips.has(s.ip))) touched.add(n.name);
    }
    for (const p of n.hostNetworkPods) {
      const key = `${p.namespace}/${p.name}`;
      if (pods.has(key)) {
        hostPods.add(key);
        touched.add(n.name);
      }
    }
  }
  for (const p of topo.pods) if (pods.has(`${p.namespace}/${p.name}`)) touched.add(p.node);
  const pending = new Set(h.pending);
  for (const p of topo.pending) if (p.node && pending.has(`${p.namespace}/${p.name}`)) touched.add(p.node);
  return {
    query: "",
    pods,
    pending,
    hostPods,
    nodes: new Set(h.nodes),
    nodeIps: new Set(),
    enis,
    ips,
    warm: new Set(),
    touched,
    count: pods.size + pending.size,
  };
}
