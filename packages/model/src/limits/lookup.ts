import type { InstanceTypeFacts } from "../types.ts";
import { type InstanceTypeRow, instanceTypeRows } from "./instanceTypes.generated.ts";

function factsFromRow(row: InstanceTypeRow): InstanceTypeFacts {
  const [
    instanceType,
    vcpus,
    hypervisor,
    bareMetal,
    maxEnis,
    ipv4PerEni,
    defaultNetworkCardIndex,
    networkCards,
    branchEnis,
    trunkingCompatible,
  ] = row;
  return {
    instanceType,
    vcpus,
    hypervisor,
    bareMetal,
    maxEnis,
    ipv4PerEni,
    defaultNetworkCardIndex,
    networkCards,
    branchEnis,
    trunkingCompatible,
  };
}

let byName: Map<string, InstanceTypeFacts> | null = null;

function table(): Map<string, InstanceTypeFacts> {
  if (byName === null) {
    byName = new Map();
    for (const row of instanceTypeRows) byName.set(row[0], factsFromRow(row));
  }
  return byName;
}

/** Facts for one instance type from the built-in table (case and surrounding spaces ignored). */
export function lookupInstanceType(name: string): InstanceTypeFacts | undefined {
  const facts = table().get(name.trim().toLowerCase());
  return facts === undefined ? undefined : { ...facts };
}

/** Every type in the built-in table, sorted by name. */
export function allInstanceTypes(): InstanceTypeFacts[] {
  return Array.from(table().values(), (f) => ({ ...f }));
}

/** Looks a type up in `extra` (facts fetched at run time) first, then in the built-in table. */
export function resolveInstanceType(
  name: string,
  extra: readonly InstanceTypeFacts[] = [],
): InstanceTypeFacts | undefined {
  const wanted = name.trim().toLowerCase();
  return extra.find((f) => f.instanceType.toLowerCase() === wanted) ?? lookupInstanceType(wanted);
}
