// What changed between two topologies that deserves a mark on screen: an ENI that was not there before
// (it flashes) and a pod that has just gone Pending (it pulses in the tray).
import type { NodeReport, Report } from "@eni-view/model";

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
  const newEnis: NewEni[] = [];
  const newNodes: string[] = [];
  const compare = (old: NodeReport | undefined, n: NodeReport) => {
    if (old === n) return; // unchanged by the delta: same object
    if (!old) {
      newNodes.push(n.name);
      return;
    }
    // On the overview a node's ENIs come with its detail and go when it leaves the view: that is the page
    // looking closer or away, not an ENI attached.
    if (old.omitted !== undefined || n.omitted !== undefined) return;
    const had = new Set(old.enis.map((e) => e.id));
    for (const e of n.enis) if (!had.has(e.id)) newEnis.push({ node: n.name, eni: e.id });
  };
  // A live update keeps the node list's order and most of its objects: compare place by place, and look
  // nodes up by name (a map of the whole cluster) only when the lists do not line up.
  const aligned =
    prev.nodes.length === next.nodes.length &&
    next.nodes.every((n, i) => n === prev.nodes[i] || n.name === prev.nodes[i]!.name);
  if (aligned) for (let i = 0; i < next.nodes.length; i++) compare(prev.nodes[i], next.nodes[i]!);
  else {
    const prevNodes = new Map(prev.nodes.map((n) => [n.name, n]));
    for (const n of next.nodes) compare(prevNodes.get(n.name), n);
  }
  if (prev.pending === next.pending) return { newEnis, newNodes, newPending: [] };
  const wasPending = new Set(prev.pending.map((p) => `${p.namespace}/${p.name}`));
  const newPending = next.pending.map((p) => `${p.namespace}/${p.name}`).filter((k) => !wasPending.has(k));
  return { newEnis, newNodes, newPending };
}
