// A step's highlight in the shape the map and the Pending tray already light a search by, so lab mode
// dims and lights cells, boxes and tray entries exactly as a search does. Only what the cluster holds
// now is kept: a step names the pod it asks for before it exists, and the panel counts what is lit.
import type { Report } from "@eni-view/model";
import type { SearchResult } from "../layout/search.ts";
import { eniIps } from "./labFacts.ts";
import type { Highlight } from "./labTypes.ts";

export function highlightResult(h: Highlight, topo: Report): SearchResult {
  const wantEnis = new Set(h.enis);
  const wantIps = new Set(h.ips);
  const wantPods = new Set(h.pods);
  const wantPending = new Set(h.pending);
  const enis = new Set<string>();
  const ips = new Set<string>();
  const touched = new Set<string>();
  const hostPods = new Set<string>();
  const pods = new Set<string>();
  const pending = new Set<string>();
  const nodes = new Set<string>();
  for (const n of topo.nodes) {
    if (h.nodes.includes(n.name)) {
      nodes.add(n.name);
      touched.add(n.name);
    }
    for (const e of n.enis) {
      const all = eniIps(e);
      if (wantEnis.has(e.id)) {
        enis.add(e.id);
        for (const ip of all) ips.add(ip);
        touched.add(n.name);
      } else
        for (const ip of all)
          if (wantIps.has(ip)) {
            ips.add(ip);
            touched.add(n.name);
          }
    }
    for (const p of n.hostNetworkPods) {
      const key = `${p.namespace}/${p.name}`;
      if (wantPods.has(key)) {
        hostPods.add(key);
        pods.add(key);
        touched.add(n.name);
      }
    }
  }
  for (const p of topo.pods) {
    const key = `${p.namespace}/${p.name}`;
    if (wantPods.has(key)) {
      pods.add(key);
      touched.add(p.node);
    }
  }
  for (const p of topo.pending) {
    const key = `${p.namespace}/${p.name}`;
    if (!wantPending.has(key)) continue;
    pending.add(key);
    if (p.node) touched.add(p.node);
  }
  return {
    query: "",
    pods,
    pending,
    hostPods,
    nodes,
    nodeIps: new Set(),
    enis,
    ips,
    warm: new Set(),
    touched,
    count: pods.size + pending.size,
  };
}
