// What changed between two topologies that deserves a mark on screen: an ENI that was not there before
// (it flashes) and a pod that has just gone Pending (it pulses in the tray).
import type { Report } from "@eni-view/model";

export interface NewEni {
  node: string;
  eni: string;
}

export interface Changes {
  newEnis: NewEni[];
  newNodes: string[];
  newPending: string[];
}

export function findChanges(
  prev: Pick<Report, "nodes" | "pending"> | null,
  next: Pick<Report, "nodes" | "pending">,
): Changes {
  if (!prev) return { newEnis: [], newNodes: [], newPending: [] };
  const prevNodes = new Map(prev.nodes.map((n) => [n.name, n]));
  const newEnis: NewEni[] = [];
  const newNodes: string[] = [];
  for (const n of next.nodes) {
    const old = prevNodes.get(n.name);
    if (old === n) continue; // unchanged by the delta: same object
    if (!old) {
      newNodes.push(n.name);
      continue;
    }
    const had = new Set(old.enis.map((e) => e.id));
    for (const e of n.enis) if (!had.has(e.id)) newEnis.push({ node: n.name, eni: e.id });
  }
  const wasPending = new Set(prev.pending.map((p) => `${p.namespace}/${p.name}`));
  const newPending = next.pending.map((p) => `${p.namespace}/${p.name}`).filter((k) => !wasPending.has(k));
  return { newEnis, newNodes, newPending };
}
