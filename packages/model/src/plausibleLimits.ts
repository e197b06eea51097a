// Instance-type facts that come with the data (a capture's instance-types.json, DescribeInstanceTypes) are
// checked against what EC2 offers: a type claiming 100,000 ENIs would have the page lay out 100,000 rows
// per node and blank the whole map, and any count made from it is false. Facts past a bound well beyond
// every real type (or not numbers at all) are refused and said: the type's capacity is then unknown, as
// for a type eni-view has never heard of, and its nodes are drawn with the ENIs they have.
import { allInstanceTypes } from "./limits/lookup.ts";
import type { InstanceTypeFacts } from "./types.ts";

/** Four times the most of any type in the built-in table: room for types newer than it, none for nonsense. */
function bounds(): { maxEnis: number; ipv4PerEni: number; tableEnis: number; tableIps: number } {
  let tableEnis = 0;
  let tableIps = 0;
  for (const t of allInstanceTypes()) {
    tableEnis = Math.max(tableEnis, t.maxEnis);
    tableIps = Math.max(tableIps, t.ipv4PerEni);
  }
  return { maxEnis: 4 * tableEnis, ipv4PerEni: 4 * tableIps, tableEnis, tableIps };
}

let cached: ReturnType<typeof bounds> | null = null;

/** The given types without those claiming absurd ENI or IP counts, and a warning for each one refused. */
export function plausibleInstanceTypes(types: readonly InstanceTypeFacts[]): {
  types: readonly InstanceTypeFacts[];
  warnings: string[];
  /** The names of the types refused: their nodes' capacity is unknown for this reason, not for want of data. */
  refused: ReadonlySet<string>;
} {
  cached ??= bounds();
  const b = cached;
  const warnings: string[] = [];
  const refused = new Set<string>();
  const kept = types.filter((t) => {
    const sane = (n: number, most: number) => Number.isFinite(n) && n >= 1 && n <= most;
    if (sane(t.maxEnis, b.maxEnis) && sane(t.ipv4PerEni, b.ipv4PerEni)) return true;
    refused.add(t.instanceType);
    warnings.push(
      `instance type ${t.instanceType} claims ${t.maxEnis.toLocaleString("en-US")} ENIs of ${t.ipv4PerEni.toLocaleString("en-US")} IPv4 addresses each; no EC2 type has more than ${b.tableEnis} ENIs or ${b.tableIps} addresses per ENI: its capacity is left unknown`,
    );
    return false;
  });
  return { types: refused.size > 0 ? kept : types, warnings, refused };
}
