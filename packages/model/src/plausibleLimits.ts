// Instance-type facts that come with the data (a capture's instance-types.json, DescribeInstanceTypes) are
// checked against what EC2 offers: a type claiming 100,000 ENIs would have the page lay out 100,000 rows
// per node and blank the whole map. Such facts are clamped to a bound well past every real type, and said.
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

/** The given types with absurd ENI and IP counts clamped, and a warning for each one clamped. */
export function plausibleInstanceTypes(types: readonly InstanceTypeFacts[]): {
  types: readonly InstanceTypeFacts[];
  warnings: string[];
} {
  cached ??= bounds();
  const b = cached;
  const warnings: string[] = [];
  let out: InstanceTypeFacts[] | null = null;
  types.forEach((t, i) => {
    const enis = Number.isFinite(t.maxEnis) && t.maxEnis >= 1 ? t.maxEnis : 1;
    const ips = Number.isFinite(t.ipv4PerEni) && t.ipv4PerEni >= 1 ? t.ipv4PerEni : 1;
    if (enis === t.maxEnis && ips === t.ipv4PerEni && enis <= b.maxEnis && ips <= b.ipv4PerEni) return;
    const clamped = { ...t, maxEnis: Math.min(enis, b.maxEnis), ipv4PerEni: Math.min(ips, b.ipv4PerEni) };
    out ??= [...types];
    out[i] = clamped;
    warnings.push(
      `instance type ${t.instanceType} claims ${t.maxEnis.toLocaleString("en-US")} ENIs of ${t.ipv4PerEni.toLocaleString("en-US")} IPv4 addresses each; no EC2 type has more than ${b.tableEnis} ENIs or ${b.tableIps} addresses per ENI: counted and drawn as ${clamped.maxEnis} of ${clamped.ipv4PerEni}`,
    );
  });
  return { types: out ?? types, warnings };
}
