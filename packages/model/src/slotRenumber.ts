// The numbering of all slots after a few nodes were made again, added or removed, from the previous
// numbering rather than from scratch: the kept nodes' slots keep their order (their numbers shift by
// what the changed nodes added or took away), the changed nodes' slots are sorted alone and merged into
// the address order. numberSlots sorts every slot's address (760,000 at 20,000 nodes); this walks the
// previous order once.
import type { EniLayout } from "./enis.ts";
import type { NodeDraft } from "./nodeReports.ts";
import type { SlotNumbering } from "./placement.ts";
import type { SlotPods } from "./podChanges.ts";
import type { PodKey } from "./types.ts";

export interface Renumbered {
  slots: SlotNumbering;
  /** The pod key in each slot: the kept nodes' as they were, null in the changed nodes' slots. */
  slotPods: (PodKey | null)[];
  /** The number of each changed node's ENIs' first slot, node by node, ENI by ENI. */
  firstSlots: number[];
}

/**
 * The numbering with the nodes at `dirty` (positions now) made from `drafts` (theirs, in order), every
 * other node at position j being the previous build's node `oldOf[j]`. Null when a changed node's
 * address is also a kept node's: which slot a pod claims then depends on both, and only placing every
 * pod again is exact.
 */
export function renumberSlots(
  old: SlotNumbering,
  oldSlotPods: SlotPods,
  oldNodeCount: number,
  oldOf: Int32Array,
  dirty: Uint8Array,
  drafts: readonly NodeDraft[],
): Renumbered | null {
  const oldEnis = old.layouts.length;
  const oldFirst = new Int32Array(oldEnis + 1);
  for (let e = 0; e < oldEnis; e++) oldFirst[e + 1] = oldFirst[e]! + old.layouts[e]!.ips.length;
  // ENIs are numbered node by node: each previous node's are a run.
  const nodeEnis = new Int32Array(oldNodeCount + 1);
  {
    let e = 0;
    for (let n = 0; n < oldNodeCount; n++) {
      nodeEnis[n] = e;
      while (e < oldEnis && old.eniNode[e]! <= n) e++;
    }
    nodeEnis[oldNodeCount] = oldEnis;
  }

  const layouts: EniLayout[] = [];
  const owners: number[] = [];
  const slotMap = new Int32Array(oldFirst[oldEnis]!).fill(-1);
  const eniMap = new Int32Array(oldEnis).fill(-1);
  const firstSlots: number[] = [];
  const fresh: { address: number; slot: number; eni: number }[] = [];
  let slot = 0;
  let k = 0;
  for (let j = 0; j < oldOf.length; j++) {
    if (dirty[j] === 1) {
      for (const eni of drafts[k++]!.enis) {
        const { layout } = eni;
        const e = layouts.length;
        layouts.push(layout);
        owners.push(j);
        firstSlots.push(slot);
        for (let i = 0; i < layout.addresses.length; i++) {
          const address = layout.addresses[i]!;
          if (address >= 0) fresh.push({ address, slot: slot + i, eni: e });
        }
        slot += layout.ips.length;
      }
      continue;
    }
    const o = oldOf[j]!;
    for (let e = nodeEnis[o]!; e < nodeEnis[o + 1]!; e++) {
      eniMap[e] = layouts.length;
      layouts.push(old.layouts[e]!);
      owners.push(j);
      const from = oldFirst[e]!;
      const length = oldFirst[e + 1]! - from;
      for (let s = 0; s < length; s++) slotMap[from + s] = slot + s;
      slot += length;
    }
  }
  fresh.sort((a, b) => a.address - b.address || a.slot - b.slot);

  // Address order (equal addresses by slot number), as numberSlots sorts it.
  const before = old.byAddress;
  const total = before.count + fresh.length;
  const addresses = new Float64Array(total);
  const slots = new Int32Array(total);
  const enis = new Int32Array(total);
  let count = 0;
  let f = 0;
  for (let i = 0; i < before.count; i++) {
    const s = slotMap[before.slots[i]!]!;
    if (s < 0) continue;
    const address = before.addresses[i]!;
    while (f < fresh.length && fresh[f]!.address <= address) {
      if (fresh[f]!.address === address) return null;
      addresses[count] = fresh[f]!.address;
      slots[count] = fresh[f]!.slot;
      enis[count++] = fresh[f++]!.eni;
    }
    addresses[count] = address;
    slots[count] = s;
    enis[count++] = eniMap[before.enis[i]!]!;
  }
  for (; f < fresh.length; f++) {
    addresses[count] = fresh[f]!.address;
    slots[count] = fresh[f]!.slot;
    enis[count++] = fresh[f]!.eni;
  }

  const slotPods = new Array<PodKey | null>(slot).fill(null);
  const base = oldSlotPods.base;
  for (let s = 0; s < base.length; s++) {
    const to = slotMap[s]!;
    if (to >= 0) slotPods[to] = base[s]!;
  }
  for (const [s, pod] of oldSlotPods.changed) {
    const to = slotMap[s]!;
    if (to >= 0) slotPods[to] = pod;
  }
  return {
    slots: { layouts, eniNode: Int32Array.from(owners), byAddress: { count, addresses, slots, enis } },
    slotPods,
    firstSlots,
  };
}
