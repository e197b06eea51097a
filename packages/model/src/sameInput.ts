// Comparing a source's input with the previous one: live sources hand over an unchanged EC2 object as
// the same object, and map Kubernetes objects anew on every update of them (equal in content).

/** The same items, in the same order (both absent counts as the same). */
export function sameItems<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The same items in the same order, each the same object or `same` in content. */
export function sameItemsBy<T>(
  a: readonly T[] | undefined,
  b: readonly T[] | undefined,
  same: (x: T, y: T) => boolean,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !same(a[i]!, b[i]!)) return false;
  return true;
}

/** Plain data equal in content. A live source maps an object anew on every update of it: a node's status
 * heartbeat, which changes nothing the model reads, comes as a new NodeInput. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameData(x, b[i]));
  }
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  const keys = Object.keys(aRecord);
  if (keys.length !== Object.keys(bRecord).length) return false;
  return keys.every((k) => Object.hasOwn(bRecord, k) && sameData(aRecord[k], bRecord[k]));
}

/** The same settings: a live source reads the aws-node DaemonSet into a new object each time. */
export function sameFields(a: object, b: object): boolean {
  if (a === b) return true;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  const bRecord = b as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  return aKeys.every((k) => aRecord[k] === bRecord[k]);
}
