// The same node, pod, ENI, instance or subnet given twice (two captures pasted together, a list saved
// with a page twice) would be counted twice: kept once, the first time it is given, and said.
import { listSome } from "./listSome.ts";
import type { ClusterInput } from "./types.ts";

function once<T>(
  items: T[],
  key: (item: T) => string,
  what: string,
  warnings: string[],
  label: (item: T) => string = key,
): T[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  let out: T[] | null = null;
  items.forEach((item, i) => {
    const k = key(item);
    if (!seen.has(k)) {
      seen.add(k);
      out?.push(item);
      return;
    }
    out ??= items.slice(0, i);
    repeated.push(label(item));
  });
  if (repeated.length > 0) {
    const names = [...new Set(repeated)];
    warnings.push(
      `${names.length} ${what}${names.length === 1 ? "" : "s"} given more than once, counted once: ${listSome(names)}`,
    );
  }
  return out ?? items;
}

/** The input with every object once (the same array when none repeats), and a warning per kind that did. */
export function distinctInput(input: ClusterInput): { input: ClusterInput; warnings: string[] } {
  const warnings: string[] = [];
  const nodes = once(input.nodes, (n) => n.name, "node", warnings);
  // By uid: a pod is one object for good, and a recreated pod of the same name is another.
  const pods = once(
    input.pods,
    (p) => p.uid || `${p.namespace}/${p.name}`,
    "pod",
    warnings,
    (p) => `${p.namespace}/${p.name}`,
  );
  const enis = once(input.enis, (e) => e.id, "ENI", warnings);
  const instances = once(input.instances, (i) => i.id, "instance", warnings);
  const subnets = once(input.subnets, (s) => s.id, "subnet", warnings);
  if (warnings.length === 0) return { input, warnings };
  return { input: { ...input, nodes, pods, enis, instances, subnets }, warnings };
}
