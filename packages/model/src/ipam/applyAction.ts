// Carrying out a warm-pool decision on a pool when EC2 answers at once: what the simulator's settle step
// and the model's steady-state figures need. `allocate` hands out the next address ("a.b.c.d") or /28.
import type { NodePool, PoolCidr, PoolEni } from "./pool.ts";
import type { PoolUnit, WarmPoolAction } from "./warmPool.ts";

export type AddressAllocator = (unit: PoolUnit) => string;

function cidrs(count: number, unit: PoolUnit, allocate: AddressAllocator): PoolCidr[] {
  return Array.from({ length: count }, () => {
    const value = allocate(unit);
    return unit === "prefix"
      ? { cidr: value, prefix: true, addresses: [] }
      : { cidr: `${value}/32`, prefix: false, addresses: [] };
  });
}

function eniById(pool: NodePool, id: string): PoolEni {
  const eni = pool.enis.find((e) => e.id === id);
  if (eni === undefined) throw new Error(`the decision names ENI ${id}, which is not in the pool`);
  return eni;
}

export function applyWarmPoolAction(
  pool: NodePool,
  action: WarmPoolAction,
  now: number,
  allocate: AddressAllocator,
): void {
  switch (action.kind) {
    case "assign":
      eniById(pool, action.eniId).cidrs.push(...cidrs(action.count, action.unit, allocate));
      return;
    case "create-eni":
      pool.enis.push({
        id: `eni-device-${action.deviceIndex}`,
        deviceIndex: action.deviceIndex,
        primary: false,
        trunk: false,
        efa: false,
        noManage: false,
        addedAt: now,
        cidrs: cidrs(action.count, action.unit, allocate),
      });
      return;
    case "release":
      for (const r of action.cidrs) {
        const eni = eniById(pool, r.eniId);
        eni.cidrs = eni.cidrs.filter((c) => c.cidr !== r.cidr);
      }
      pool.lastDecreaseAt = now;
      return;
    case "free-eni":
      pool.enis = pool.enis.filter((e) => e.id !== action.eniId);
      return;
    case "none":
      return;
  }
}

/** Synthetic addresses for pools with no subnet behind them: singles from 10.0.0.10, /28s from 10.1.0.0. */
export function syntheticAllocator(): AddressAllocator {
  let single = 10;
  let prefix = 0;
  return (unit) => {
    if (unit === "prefix") {
      const n = prefix++;
      return `10.1.${(n >> 4) & 255}.${(n & 15) * 16}/28`;
    }
    const n = single++;
    return `10.0.${(n >> 8) & 255}.${n & 255}`;
  };
}
