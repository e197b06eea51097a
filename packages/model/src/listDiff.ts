// Which items of a list a source handed over again changed: live sources keep every unchanged object
// as it was and their lists in one order (pods by key, ENIs and instances as EC2 lists them), so a walk
// of both lists side by side, comparing objects, finds the few changed ones without a map of all.

// How far the walk looks ahead for a run of items added or removed.
const LOOK_AHEAD = 8;

/** Positions of the items only in `before` (removed) and only in `after` (added), both ascending; every
 * other item is the same object in the same order. An item replaced (`sameKey` of both) is removed at
 * its place and added at its place. Null past `limit` changes. */
export function diffList<T>(
  before: readonly T[],
  after: readonly T[],
  limit: number,
  sameKey: (a: T, b: T) => boolean,
): { removed: number[]; added: number[] } | null {
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    const a = before[i]!;
    const b = after[j]!;
    if (a === b) {
      i++;
      j++;
      continue;
    }
    if (removed.length + added.length > limit) return null;
    // An item replaced (changed) keeps its place in a list kept in key order.
    if (sameKey(a, b)) {
      removed.push(i++);
      added.push(j++);
      continue;
    }
    let skipAfter = 0;
    let skipBefore = 0;
    for (let k = 1; k <= LOOK_AHEAD && skipAfter === 0 && skipBefore === 0; k++) {
      if (after[j + k] === a) skipAfter = k;
      else if (before[i + k] === b) skipBefore = k;
    }
    if (skipAfter > 0) for (let k = 0; k < skipAfter; k++) added.push(j++);
    else if (skipBefore > 0) for (let k = 0; k < skipBefore; k++) removed.push(i++);
    else {
      removed.push(i++);
      added.push(j++);
    }
  }
  while (i < before.length) removed.push(i++);
  while (j < after.length) added.push(j++);
  return removed.length + added.length > limit ? null : { removed, added };
}
