// Which ENIs are attached to which instance, kept as an index: finding a node's ENIs by scanning every
// ENI would make starting 5,000 nodes quadratic. Built from the state on first use, then kept up to date
// by mutations.ts, the only code that attaches, detaches or deletes ENIs.
import type { Ec2State, SimEni } from "../contracts.ts";

const indexes = new WeakMap<Ec2State, Map<string, Set<string>>>();

function indexOf(state: Ec2State): Map<string, Set<string>> {
  let index = indexes.get(state);
  if (index === undefined) {
    index = new Map();
    for (const eni of state.enis.values()) if (eni.attachment) add(index, eni.attachment.instanceId, eni.id);
    indexes.set(state, index);
  }
  return index;
}

function add(index: Map<string, Set<string>>, instanceId: string, eniId: string): void {
  const ids = index.get(instanceId);
  if (ids) ids.add(eniId);
  else index.set(instanceId, new Set([eniId]));
}

export function recordAttachment(state: Ec2State, eni: SimEni): void {
  if (eni.attachment) add(indexOf(state), eni.attachment.instanceId, eni.id);
}

export function forgetEni(state: Ec2State, eni: SimEni): void {
  const index = indexOf(state);
  if (eni.attachment && index.get(eni.attachment.instanceId)?.delete(eni.id)) return;
  for (const ids of index.values()) if (ids.delete(eni.id)) return;
}

/** The ENIs whose attachment names this instance (any attachment status), by device index. */
export function enisAttachedTo(state: Ec2State, instanceId: string): SimEni[] {
  const out: SimEni[] = [];
  for (const id of indexOf(state).get(instanceId) ?? []) {
    const eni = state.enis.get(id);
    if (eni?.attachment?.instanceId === instanceId) out.push(eni);
  }
  return out.sort((a, b) => (a.attachment?.deviceIndex ?? 0) - (b.attachment?.deviceIndex ?? 0));
}
