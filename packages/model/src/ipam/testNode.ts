// A node for the warm-pool tests: applies each decision at once (EC2 answers instantly, addresses come
// from a counter), so the tests can walk through pod counts and time the way the domain tables do.
import { applyWarmPoolAction, syntheticAllocator } from "./applyAction.ts";
import { freeAddressInCidr } from "./podAddress.ts";
import type { NodePool, PoolEni } from "./pool.ts";
import type { WarmPoolSettings } from "./targets.ts";
import { decideWarmPoolAction, type WarmPoolDecision, type WarmPoolLimits } from "./warmPool.ts";

export const defaultSettings: WarmPoolSettings = {
  prefixDelegation: false,
  warmEniTarget: null,
  warmIpTarget: null,
  minimumIpTarget: null,
  warmPrefixTarget: null,
  maxEni: null,
  customNetworking: false,
  ipCooldownSeconds: 30,
};

/** t3.medium: 3 ENIs x 6 IPv4, max pods 3 x (6 - 1) + 2 = 17 (domain section 1). */
export const t3Medium: WarmPoolLimits = { maxEnis: 3, ipv4PerEni: 6, maxPods: 17 };

export const CYCLE_MS = 5_000;

export interface TestNode {
  pool: NodePool;
  now: number;
  cordoned: boolean;
  decisions: WarmPoolDecision[];
  /** One IPAMD cycle: decide, apply, advance the clock by CYCLE_MS. */
  cycle(): WarmPoolDecision;
  /** Cycles until IPAMD has nothing to do (at most `limit`). */
  settle(limit?: number): void;
  addPod(name: string): string | null;
  removePod(name: string): void;
  enis(): number;
  /** Pool IPs: secondary IPs, or 16 per prefix. */
  ips(): number;
  prefixes(): number;
}

export function testNode(
  settings: Partial<WarmPoolSettings> = {},
  limits: WarmPoolLimits = t3Medium,
  start = Date.UTC(2026, 0, 1),
): TestNode {
  const s = { ...defaultSettings, ...settings };
  const primary: PoolEni = {
    id: "eni-0",
    deviceIndex: 0,
    primary: true,
    trunk: false,
    efa: false,
    noManage: false,
    addedAt: start,
    cidrs: [],
  };
  const node: TestNode = {
    pool: { enis: [primary], lastDecreaseAt: null, lastInsufficientCidrAt: null },
    now: start,
    cordoned: false,
    decisions: [],
    cycle() {
      const d = decideWarmPoolAction({
        pool: node.pool,
        settings: s,
        limits,
        now: node.now,
        cordoned: node.cordoned,
      });
      apply(d);
      node.decisions.push(d);
      node.now += CYCLE_MS;
      return d;
    },
    settle(limit = 40) {
      for (let i = 0; i < limit; i++) if (node.cycle().action.kind === "none") return;
      throw new Error(`IPAMD still busy after ${limit} cycles: ${node.decisions.at(-1)?.reason}`);
    },
    addPod(name) {
      for (const eni of node.pool.enis) {
        for (const cidr of eni.cidrs) {
          if (cidr.prefix !== s.prefixDelegation) continue;
          const ip = freeAddressInCidr(cidr, node.now, s.ipCooldownSeconds * 1000);
          if (ip === null) continue;
          const known = cidr.addresses.find((a) => a.ip === ip);
          if (known) known.pod = name;
          else cidr.addresses.push({ ip, pod: name, releasedAt: null });
          return ip;
        }
      }
      return null;
    },
    removePod(name) {
      for (const eni of node.pool.enis) {
        for (const cidr of eni.cidrs) {
          for (const a of cidr.addresses) {
            if (a.pod === name) {
              a.pod = null;
              a.releasedAt = node.now;
              return;
            }
          }
        }
      }
      throw new Error(`no pod ${name} on the node`);
    },
    enis: () => node.pool.enis.length,
    ips: () =>
      node.pool.enis.reduce(
        (n, eni) =>
          n + eni.cidrs.reduce((m, c) => m + (c.prefix === s.prefixDelegation ? (c.prefix ? 16 : 1) : 0), 0),
        0,
      ),
    prefixes: () => node.pool.enis.reduce((n, eni) => n + eni.cidrs.filter((c) => c.prefix).length, 0),
  };

  const allocate = syntheticAllocator();
  function apply(d: WarmPoolDecision): void {
    applyWarmPoolAction(node.pool, d.action, node.now, allocate);
  }
  return node;
}
